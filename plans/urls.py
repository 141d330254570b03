"""Plans: staff pages under /app/ (issue 5)."""

app_name = "plans"

urlpatterns: list = []
