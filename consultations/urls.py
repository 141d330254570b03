"""Open consultations: staff pages under /app/ (issue 4)."""

app_name = "consultations"

urlpatterns: list = []
