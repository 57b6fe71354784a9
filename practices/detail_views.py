"""The public page of one good practice (also the staff draft preview's content)."""

from django.utils.translation import gettext_lazy
from django.views.generic import DetailView

from core.models import Region
from core.selectors import trail_of
from core.translations import TranslatedPageMixin
from infra.caching import PublicPageCacheMixin
from infra.links import site_addresses, with_links
from practices import selectors
from practices.models import GoodPractice, Transfer


class PracticeDetailView(TranslatedPageMixin, PublicPageCacheMixin, DetailView):
    template_name = "practices/practice_detail.html"
    context_object_name = "practice"
    # Built once and cloned per request by DetailView: annotating it each time
    # cost more than cloning.
    queryset = selectors.practice_page(GoodPractice.objects.published())

    def page_texts(self, *, original):
        # The texts and everything else the page shows, as the draft preview.
        return practice_detail_context(self.object, original=original)


def practice_detail_context(practice, *, original=False):
    """Return what the detail template needs besides ``practice``.

    Used by the public page and by the staff draft preview, so that both
    show the same thing. Six queries at most, whatever the practice; one
    when it has no talks, adoptions, policy instruments or translation.
    """
    trail = trail_of(practice)
    version = selectors.practice_version(practice, original=original)
    practice_list_url = site_addresses()["practices"]
    topics = selectors.practice_topics(practice)
    return {
        **version,
        "region_trail": trail,
        # The top of the trail: the country, or the region standing for it
        # when it repeats the country's name (SI0 for Slovenia).
        "country": trail[0] if trail and trail[0].kind == Region.Kind.NUTS else None,
        "topics": topics,
        "projects": with_links(selectors.practice_projects(practice), "exchange:project-detail"),
        "presentations": selectors.practice_presentations(practice),
        **transfer_context(selectors.practice_transfers(practice)),
        "policy_instruments": selectors.practice_instruments(practice),
        "contact_recipient": selectors.contact_recipient(practice),
        "related_practices": with_links(
            selectors.related_practices(practice, topics), "practices:practice-detail"
        ),
        "last_updated": getattr(practice, "last_history_date", None) or practice.updated_at,
        # Topic links are this address with ?topic=<slug>.
        "practice_list_url": practice_list_url,
        "breadcrumbs": [
            (gettext_lazy("Practices"), practice_list_url),
            (version["texts"]["title"]["text"], ""),
        ],
    }


def transfer_context(transfers):
    """Split a practice's transfers: adopted regions, and the regions learning from it.

    Regions that did not agree to be named are counted, never listed.
    """
    learning = [t for t in transfers if t.state in Transfer.LEARNING]
    counts = dict.fromkeys(Transfer.LEARNING, 0)
    for transfer in learning:
        counts[transfer.state] += 1
    return {
        "transfers": [t for t in transfers if t.state == Transfer.State.ADOPTED and t.show_region],
        "learning_regions": [t for t in learning if t.show_region],
        "learning_counts": [(Transfer.State(state).label, n) for state, n in counts.items() if n],
    }
