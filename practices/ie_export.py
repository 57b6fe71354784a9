"""Good practices in the structure of the Interreg Europe good-practice database.

Staff hand practices on to the programme's database; these builders lay them
out with the submission form's headings, in its order (see
INTERREG-GP-TEMPLATE.md): as an XLSX sheet with one row per practice and as a
printable page with one section per practice.

The template's contact section is "visible to community members only": the
contact person's name and organisation are included, their e-mail address is
not, because it must not leave the portal. The "expert opinion" is written by
the programme's experts after submission, so it is not exported either.
"""

import io
import re

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.models import Region
from practices.models import GoodPractice

# (section heading, [(key, field heading), ...]) in the submission form's order.
SECTIONS = [
    (
        _("General"),
        [
            ("title", _("Title")),
            ("linked", _("Linked to an Interreg Europe project?")),
            ("project", _("Project")),
        ],
    ),
    (
        _("Location"),
        [
            ("country", _("Country")),
            ("region", _("Region (NUTS)")),
            ("city", _("City")),
        ],
    ),
    (
        _("Description"),
        [
            ("summary", _("Summary")),
            ("organisation", _("Organisation in charge (main institution)")),
            ("description", _("Detailed description")),
            ("resources_needed", _("Resources needed")),
            ("evidence_of_success", _("Evidence of success (results achieved)")),
            ("difficulties", _("Difficulties encountered / lessons learned")),
            ("potential_for_transfer", _("Potential for learning or transfer")),
        ],
    ),
    (
        _("Timescale"),
        [
            ("start_date", _("Start date")),
            ("end_date", _("End date")),
            ("status", _("Ongoing or ended")),
        ],
    ),
    (
        _("Classification"),
        [
            ("topics", _("Topic")),
            ("keywords", _("Keywords")),
        ],
    ),
    (_("More"), [("further_information", _("Further information (web link)"))]),
    (
        _("Contact (community members only)"),
        [
            ("contact_person", _("Contact person")),
            ("contact_organisation", _("Contact organisation")),
        ],
    ),
]

COLUMNS = [(key, heading) for _section, fields in SECTIONS for key, heading in fields]

INTERREG_EUROPE = re.compile(r"interreg\s+europe", re.IGNORECASE)


def _is_interreg_europe(project):
    programme = project.programme
    if programme is None:
        return False
    return bool(
        INTERREG_EUROPE.search(programme.name) or INTERREG_EUROPE.search(programme.short_name)
    )


def _date(value):
    return value.isoformat() if value else ""


def practice_values(practice, countries):
    """Return ``{key: text}`` for one practice, keys as in ``SECTIONS``."""
    projects = list(practice.projects.all())
    region = practice.region
    country = countries.get(region.country_code, region.country_code) if region else ""
    contact = practice.contact
    contact_org = contact.organisation if contact and contact.organisation_id else None
    return {
        "title": practice.title,
        "linked": _gettext("Yes") if any(map(_is_interreg_europe, projects)) else _gettext("No"),
        "project": "; ".join(
            f"{p.acronym} – {p.display_title}" if p.acronym else p.display_title for p in projects
        ),
        "country": country,
        "region": str(region) if region else "",
        "city": practice.city,
        "summary": practice.summary,
        "organisation": str(practice.organisation) if practice.organisation else "",
        **{name: getattr(practice, name) for name in practice.DESCRIPTION_FIELDS},
        "start_date": _date(practice.start_date),
        "end_date": _date(practice.end_date),
        "status": practice.get_status_display(),
        "topics": "; ".join(t.name for t in practice.topics.all()),
        "keywords": practice.keywords,
        "further_information": practice.further_information,
        # Name and organisation only: the e-mail address never leaves the portal.
        "contact_person": contact.name if contact else "",
        "contact_organisation": str(contact_org) if contact_org else "",
    }


def _prepare(queryset):
    practices = list(
        queryset.select_related("region", "organisation", "contact__organisation")
        .prefetch_related("projects__programme", "topics")
        .order_by("title", "pk")
    )
    codes = {p.region.country_code for p in practices if p.region and p.region.country_code}
    countries = {
        r.nuts_code: r.display_name
        for r in Region.objects.filter(nuts_code__in=codes, level=0).only(
            "nuts_code", "name", "name_en"
        )
    }
    return practices, countries


def build_rows(queryset):
    """Return the heading row and one row per practice."""
    practices, countries = _prepare(queryset)
    headings = [str(heading) for _key, heading in COLUMNS]
    rows = []
    for practice in practices:
        values = practice_values(practice, countries)
        rows.append([values[key] for key, _heading in COLUMNS])
    return headings, rows


def build_sections(queryset):
    """Return one ``{"title", "sections": [(heading, [(field, text)])]}`` per practice."""
    practices, countries = _prepare(queryset)
    documents = []
    for practice in practices:
        values = practice_values(practice, countries)
        documents.append(
            {
                "title": practice.title,
                "sections": [
                    (heading, [(label, values[key]) for key, label in fields])
                    for heading, fields in SECTIONS
                ],
            }
        )
    return documents


def build_workbook(queryset):
    """Return the XLSX file (bytes): one row per practice under the template's headings."""
    headings, rows = build_rows(queryset)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _gettext("Good practices")
    sheet.append(headings)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            # A text starting with "=" would otherwise become a formula.
            if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, (key, _heading) in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        long_text = key == "summary" or key in GoodPractice.DESCRIPTION_FIELDS
        sheet.column_dimensions[letter].width = 60 if long_text else 24
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(queryset):
    response = HttpResponse(
        build_workbook(queryset),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"interreg-europe-good-practices-{timezone.localdate():%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
