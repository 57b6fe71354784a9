"""Charts without filters or with one topic read a tally the database keeps, exact after writes."""

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from core.models import Topic
from portal.selectors import insight_figures
from practices.filters import ListedPracticeFilter
from practices.models import GoodPractice
from practices.selectors import listed_practices
from tests import factories

FULL = dict.fromkeys(GoodPractice.DESCRIPTION_FIELDS, "Written.")


def figures(query=None):
    filterset = ListedPracticeFilter(query or {}, queryset=listed_practices())
    assert filterset.is_valid()
    return insight_figures(filterset)


def counted_one_by_one(topic=None):
    """The figures the charts show, counted in Python from each published practice of ``topic``."""
    regions, topic_years, projects = Counter(), Counter(), {}
    complete = written = 0
    practices = GoodPractice.objects.published().select_related("region")
    if topic:
        practices = practices.filter(topics=topic)
    for practice in practices:
        practice.refresh_from_db(fields=["completeness"])
        year = (
            practice.start_date.year
            if practice.start_date
            else timezone.localtime(practice.published_at).year
            if practice.published_at
            else None
        )
        regions[practice.region.path if practice.region else None] += 1
        complete += practice.completeness == 100
        written += practice.completeness
        for topic in practice.topics.all():
            topic_years[(topic.slug, topic.name, year)] += 1
        for project in practice.projects.all():
            projects.setdefault(project.slug, []).append(practice.completeness)
    total = sum(regions.values())
    return {
        "totals": {
            "practices": total,
            "complete": complete,
            "completeness": round(written / total) if total else 0,
        },
        "by_region": sorted(regions.items(), key=str),
        "topic_year": sorted((*key, n) for key, n in topic_years.items()),
        "completeness": sorted(
            (slug, len(values), sum(v == 100 for v in values), round(sum(values) / len(values)))
            for slug, values in projects.items()
        ),
    }


def shown(topic=None):
    """What ``insight_figures`` gives without filters or for ``topic``, in that shape."""
    shown = figures({"topic": topic.slug} if topic else {})
    return {
        "totals": shown["totals"],
        "by_region": sorted(shown["by_region"], key=str),
        "topic_year": sorted(shown["topic_year"]),
        "completeness": sorted(
            (slug, n, complete, average)
            for slug, _name, n, complete, average in shown["completeness"]
        ),
    }


@pytest.mark.django_db
def test_the_tallied_figures_stay_exact_after_every_kind_of_write():
    poland = factories.RegionFactory(nuts_code="PL")
    warsaw = factories.RegionFactory(nuts_code="PL91", parent=poland)
    energy, mobility, water = (
        factories.TopicFactory(name=n) for n in ("Energy", "Mobility", "Water")
    )
    smarty, other = factories.ProjectFactory(acronym="SMARTY"), factories.ProjectFactory()
    first = factories.GoodPracticeFactory(region=warsaw, topics=[energy], projects=[smarty], **FULL)
    second = factories.GoodPracticeFactory(region=poland, topics=[energy, mobility])
    draft = factories.GoodPracticeFactory(publication_state="draft", topics=[water])

    def check():
        for topic in (None, *Topic.objects.all()):
            assert shown(topic) == counted_one_by_one(topic), topic

    check()
    assert figures()["totals"]["practices"] == 2
    # An admin's edit: region, dates, a section emptied (completeness).
    for field, value in (
        ("region", poland),
        ("start_date", datetime.date(2021, 3, 1)),
        ("difficulties", ""),
    ):
        setattr(first, field, value)
        first.save()
        check()
    # Links added, removed, set, cleared, and written as rows.
    first.topics.add(mobility, water)
    GoodPractice.topics.through.objects.create(goodpractice=second, topic=water)
    second.topics.remove(energy)
    first.projects.set([other])
    second.projects.add(smarty, other)
    check()
    # A link row rewritten in place (Django never does; SQL may).
    links = GoodPractice.topics.through.objects.filter(goodpractice=second, topic=water)
    links.update(topic=energy)
    check()
    second.topics.clear()
    check()
    # Published and unpublished, by save and in bulk.
    draft.publication_state = "published"
    draft.save()
    check()
    GoodPractice.objects.filter(pk=first.pk).update(publication_state="archived")
    check()
    GoodPractice.objects.filter(pk=first.pk).update(publication_state="published")
    # No start date: the year of publication, in the site's time zone (Brussels,
    # already 2020 at 23:30 UTC on 31 December 2019).
    GoodPractice.objects.filter(pk=draft.pk).update(start_date=None)
    check()
    GoodPractice.objects.filter(pk=draft.pk).update(
        published_at=datetime.datetime(2019, 12, 31, 23, 30, tzinfo=datetime.UTC)
    )
    check()
    assert [row for row in figures()["topic_year"] if row[2] in (2019, 2020)] == [
        ("water", "Water", 2020, 1)
    ]
    # Bulk writes, as generate_fake's.
    made = GoodPractice.objects.bulk_create(
        GoodPractice(
            title=f"Bulk {n}",
            slug=f"bulk-{n}",
            region=warsaw,
            publication_state="published",
            published_at=timezone.now(),
            **FULL,
        )
        for n in range(3)
    )
    GoodPractice.topics.through.objects.bulk_create(
        GoodPractice.topics.through(goodpractice_id=p.pk, topic_id=energy.pk) for p in made
    )
    GoodPractice.projects.through.objects.bulk_create(
        GoodPractice.projects.through(goodpractice_id=p.pk, project_id=smarty.pk) for p in made
    )
    check()
    # Deletes: a practice (its links first, as Django deletes them), a topic, a project.
    made[0].delete()
    Topic.objects.filter(pk=water.pk).delete()
    smarty.delete()
    check()
    GoodPractice.objects.all().delete()
    check()
    assert figures()["totals"] == {"practices": 0, "complete": 0, "completeness": 0}


@pytest.mark.django_db
def test_filtered_figures_agree_with_the_unfiltered_ones():
    """Every practice in one country: the filtered count (query time) and the tally agree."""
    poland = factories.RegionFactory(nuts_code="PL")
    energy = factories.TopicFactory(name="Energy")
    project = factories.ProjectFactory()
    for n in range(3):
        factories.GoodPracticeFactory(
            region=poland, topics=[energy], projects=[project], **(FULL if n else {})
        )
    unfiltered, in_poland = figures(), figures({"country": "PL"})
    for name in ("totals", "by_region", "topic_year", "completeness"):
        assert unfiltered[name] == in_poland[name], name
