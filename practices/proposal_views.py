"""The public proposal form and the proposer's private status page."""

from django.views.generic import TemplateView


class ProposalCreateView(TemplateView):
    template_name = "practices/proposal_form.html"
