from django.db import migrations, models


class Migration(migrations.Migration):
    """The answer and completion dates, filled in by 0006, are checked from now on."""

    dependencies = [
        ("matchmaking", "0006_forum_outcomes_to_deals"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='servicerequest',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('answered_at__isnull', True), ('status', 'requested')), ('status', 'cancelled'), models.Q(models.Q(('status__in', ['requested', 'cancelled']), _negated=True), ('answered_at__isnull', False)), _connector='OR'), name='service_request_answered_has_date'),
        ),
        migrations.AddConstraint(
            model_name='servicerequest',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('completed_at__isnull', False), ('status', 'completed')), models.Q(models.Q(('status', 'completed'), _negated=True), ('completed_at__isnull', True)), _connector='OR'), name='service_request_completed_has_date'),
        ),
    ]

