"""Delete practice proposals whose proposer never confirmed the e-mail address."""

from django.core.management.base import BaseCommand

from practices import services


class Command(BaseCommand):
    help = (
        "Delete unconfirmed practice proposals older than PROPOSAL_CONFIRM_MAX_AGE, "
        "with their files. Run it daily (cron or a scheduler)."
    )

    def handle(self, *args, **options):
        count = services.expire_unconfirmed()
        self.stdout.write(f"Deleted {count} unconfirmed proposal(s).")
