"""Send the visitors' messages that waited while the mail server was down."""

from django.core.management.base import BaseCommand

from practices import services


class Command(BaseCommand):
    help = (
        "Send the messages to the people behind practices that are still waiting "
        "(the mail server was down). Safe to run twice: each goes out once. Run it "
        "every few minutes (cron or a scheduler)."
    )

    def handle(self, *args, **options):
        sent, kept = services.deliver_waiting()
        self.stdout.write(f"Sent {sent} message(s); {kept} still waiting.")
