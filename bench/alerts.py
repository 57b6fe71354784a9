"""Time one ``send_alerts`` run: 10,000 saved searches over the 100,000-practice bench data.

    .venv/bin/python bench/alerts.py --database exchange_bench_copy --subscriptions 10000

Run it on a COPY of the bench database (it migrates it, adds saved searches
and moves the time some practices were made public into the last week, their
stated publication dates kept, as an imported practice's are). The
saved searches mix what visitors save: no filter, a topic, a country, both,
a validated-only list, a search word; all confirmed a week ago and due now.
Mail goes to Django's locmem backend (kept in memory, nothing sent), so the
figure is the portal's own work: the queries and the rendering of each digest.
Printed: wall time, CPU time of this process, queries, digests sent.
"""

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE"), required=False)
    parser.add_argument("--subscriptions", type=int, default=10_000)
    parser.add_argument("--new-practices", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not args.database or args.database == "exchange_bench":
        sys.exit("Name a copy of the bench database (--database exchange_bench_<you>).")
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exchange.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core import mail
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from core.models import Region, Topic
    from practices import services
    from practices.models import GoodPractice, SavedSearch

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    now = timezone.now()
    week_ago = now - timedelta(days=7, hours=1)

    # New practices: some published ones made public in the last week.
    published = list(
        GoodPractice.objects.published()
        .order_by("?")
        .values_list("pk", flat=True)[: args.new_practices]
    )
    for pk in published:
        GoodPractice.objects.filter(pk=pk).update(
            first_public_at=now - timedelta(minutes=rng.randint(5, 6 * 24 * 60))
        )

    topics = list(Topic.objects.values_list("slug", flat=True))
    countries = list(Region.objects.countries().values_list("nuts_code", flat=True))
    words = ["energy", "innovation", "tourism", "aquaponics", "mobility", "heritage"]
    languages = ["en", "pl", "ro"]

    def filters():
        kind = rng.random()
        if kind < 0.2:
            return ""
        if kind < 0.5:
            return f"topic={rng.choice(topics)}"
        if kind < 0.7:
            return f"country={rng.choice(countries)}"
        if kind < 0.85:
            return f"country={rng.choice(countries)}&topic={rng.choice(topics)}"
        if kind < 0.9:
            return "validated=1"
        return f"q={rng.choice(words)}"

    SavedSearch.objects.filter(email__endswith="@bench.example").delete()
    SavedSearch.objects.bulk_create(
        [
            SavedSearch(
                email=f"reader{n}@bench.example",
                filters=filters(),
                language=rng.choice(languages),
                frequency=SavedSearch.Frequency.WEEKLY,
                state=SavedSearch.State.CONFIRMED,
                confirmed_at=week_ago,
                sent_until=week_ago,
                next_due_at=week_ago + timedelta(days=7) - services.ALERT_DUE_SLACK,
            )
            for n in range(args.subscriptions)
        ],
        batch_size=2000,
    )
    groups = SavedSearch.objects.values("filters", "language").distinct().count()
    print(
        f"{args.subscriptions} saved searches ({groups} distinct searches × languages), "
        f"{len(published)} practices made public in the last week, "
        f"{GoodPractice.objects.count()} practices"
    )

    cpu, wall = time.process_time(), time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        counts = services.send_alerts(now=now)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"send_alerts: {wall:.1f} s wall, {cpu:.1f} s CPU, {len(queries)} queries, "
        f"{counts['sent']} digests sent, {counts['nothing_new']} with nothing new, "
        f"{counts['kept']} kept; {len(mail.outbox)} mails in the outbox"
    )
    cpu, wall = time.process_time(), time.perf_counter()
    again = services.send_alerts(now=now)
    wall = time.perf_counter() - wall
    print(f"again at once: {wall:.1f} s wall, {again['sent']} sent (nothing is due)")
    SavedSearch.objects.filter(email__endswith="@bench.example").delete()


if __name__ == "__main__":
    main()
