from django.db import migrations, models


class Migration(migrations.Migration):
    """/help/ is the user guide: "help" can never be a municipality's slug."""

    dependencies = [
        ("councils", "0004_reserve_compliance_slug"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="municipality",
            name="councils_municipality_slug_not_reserved",
        ),
        migrations.AddConstraint(
            model_name="municipality",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "slug__in",
                        (
                            "app",
                            "api",
                            "admin",
                            "accounts",
                            "static",
                            "media",
                            "healthz",
                            "compliance",
                            "help",
                        ),
                    ),
                    _negated=True,
                ),
                name="councils_municipality_slug_not_reserved",
            ),
        ),
    ]
