"""A plan version is approved by a recorded decision of a held council meeting: ``decision``, one
version per decision (unique). Versions approved before keep their typed number and date; the check
asks an approved version for a decision or that typed number.

On SQLite, adding a unique column and changing a check rebuild the table, which its guards (the
triggers of migration 0002) would stop: they are lifted first and laid again afterwards."""

import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


guards = importlib.import_module("plans.migrations.0002_approved_versions_never_change")


def lift_guards(apps, schema_editor):
    guards.backwards(apps, schema_editor)


def lay_guards(apps, schema_editor):
    guards.forwards(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0004_decisions_belong_to_a_council_year"),
        ("plans", "0002_approved_versions_never_change"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(lift_guards, lay_guards),
        migrations.RemoveConstraint(
            model_name="planversion",
            name="plans_approved_has_decision",
        ),
        migrations.AddField(
            model_name="historicalplanversion",
            name="decision",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="meetings.decision",
                verbose_name="council decision",
            ),
        ),
        migrations.AddField(
            model_name="planversion",
            name="decision",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="plan_version",
                to="meetings.decision",
                verbose_name="council decision",
            ),
        ),
        migrations.AddConstraint(
            model_name="planversion",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "approved"), _negated=True),
                    models.Q(
                        ("approved_at__isnull", False),
                        ("decision_date__isnull", False),
                        models.Q(
                            ("decision__isnull", False),
                            models.Q(("decision_number", ""), _negated=True),
                            _connector="OR",
                        ),
                    ),
                    _connector="OR",
                ),
                name="plans_approved_has_decision",
            ),
        ),
        migrations.RunPython(lay_guards, lift_guards),
    ]
