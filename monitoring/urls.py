"""Monitoring: staff pages under /app/ (issues 6-8)."""

app_name = "monitoring"

urlpatterns: list = []
