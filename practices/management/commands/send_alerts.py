"""Send the digests of saved searches that are due, and expire unconfirmed ones."""

from django.core.management.base import BaseCommand

from practices import services


class Command(BaseCommand):
    help = (
        "E-mail each confirmed saved search that is due (weekly or monthly) the practices "
        "published since its last digest, and delete saved searches never confirmed in "
        "time. Safe to run twice; when the mail server is down the digests wait for the "
        "next run. Run it daily (cron or a scheduler)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=services.ALERT_BATCH)

    def handle(self, *args, batch_size, **options):
        expired = services.expire_unconfirmed_searches()
        every = 1 if options["verbosity"] > 1 else 1000
        reported = [0]

        def progress(counts):
            # A line per thousand subscriptions handled (each batch with -v 2).
            done = counts["sent"] + counts["nothing_new"] + counts["kept"]
            if done // every > reported[0]:
                reported[0] = done // every
                self.stdout.write(f"… {self.summary(counts)}")

        counts = services.send_alerts(batch_size=batch_size, progress=progress)
        self.stdout.write(f"{self.summary(counts)}; {expired} unconfirmed expired.")

    @staticmethod
    def summary(counts):
        return (
            f"{counts['groups']} search(es): {counts['sent']} digest(s) sent, "
            f"{counts['nothing_new']} with nothing new, {counts['kept']} kept to retry"
        )
