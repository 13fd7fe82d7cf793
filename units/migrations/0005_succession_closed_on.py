from django.db import migrations, models

CLOSING = ("merged", "merged_to_form", "dissolved")


def mark_closed(apps, schema_editor):
    """A closing succession whose unit is already inactive has closed it (on its date).
    One whose unit is still active is left open: `close_due_mergers` closes that unit once
    more at the next sign-in, as before this field; from then on, never again (leaving it
    open never loses a merger's closing and its locked accounts)."""
    UnitSuccession = apps.get_model("units", "UnitSuccession")
    for succession in UnitSuccession.objects.filter(kind__in=CLOSING, predecessor__active=False):
        succession.closed_on = succession.effective_on
        succession.save(update_fields=["closed_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0004_succession_lock_accounts"),
    ]

    operations = [
        migrations.AddField(
            model_name="unitsuccession",
            name="closed_on",
            field=models.DateField(
                blank=True,
                help_text=(
                    "The day this succession made its unit inactive; empty while it has not. "
                    "A unit an administrator reactivates afterwards stays active."
                ),
                null=True,
                verbose_name="closed the unit on",
            ),
        ),
        migrations.RunPython(mark_closed, migrations.RunPython.noop),
    ]
