"""Delete practice proposals whose proposer never confirmed the e-mail address."""

from django.core.management.base import BaseCommand

from practices import services


class Command(BaseCommand):
    help = (
        "Delete unconfirmed practice proposals older than PROPOSAL_CONFIRM_MAX_AGE, "
        "with their files, and unconfirmed interests in learning from a practice. "
        "Run it daily (cron or a scheduler)."
    )

    def handle(self, *args, **options):
        count = services.expire_unconfirmed()
        self.stdout.write(f"Deleted {count} unconfirmed proposal(s).")
        interests = services.expire_unconfirmed_interests()
        self.stdout.write(f"Deleted {interests} unconfirmed interest(s).")
