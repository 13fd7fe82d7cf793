"""The rows of the scheme editor's table (`scoring/scheme.html`), written in Python.

Through the template language a row took about half a millisecond (its move form, token,
links and labels): 20 ms for the demo's 40 criteria, a quarter of a second for a real scheme
of 500. The markup is the template's, value for value.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .points import criterion_max

register = template.Library()


@register.simple_tag(takes_context=True)
def scheme_rows(context, nodes):
    """One row per criterion of the tree, in order (with its move and edit actions where
    the page is editable), or one saying the scheme is empty."""
    if not nodes:
        return format_html(
            '<tr><td colspan="5" class="text-body-secondary">{}</td></tr>',
            _("The scheme is empty: add its first group below, or import it from Excel."),
        )
    page = _Page(context)
    return mark_safe("".join(page.row(node) for node in nodes))


class _Page:
    """What every row of one page shares: its labels, translated once, and its rights."""

    def __init__(self, context):
        self.compact = context["compact"]
        self.editable = context["editable"]
        self.problems = context["codes_with_problems"]
        self.max_depth = context["max_depth"]
        token = context.get("csrf_token")
        self.csrf = (
            format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
            if token and token != "NOTPROVIDED"
            else ""
        )
        self.reordered = (
            format_html('<input type="hidden" name="reason" value="{}">', _("Reordered"))
            if self.compact.scheme_is_frozen
            else ""
        )
        self.collapse, self.no_flag = _("Collapse or expand"), _("no flag")
        self.up, self.down = _("Move up"), _("Move down")
        self.add_below, self.edit = _("add below"), _("edit")

    def row(self, c):
        classes = f"lvl-{c.level}"
        if not c.is_leaf:
            classes += " fw-semibold"
        if c.code in self.problems:
            classes += " table-warning"
        return format_html(
            '<tr id="c{}" class="{}" data-anc="{}">'
            '<td class="text-nowrap c-code"{}>{}{}</td>'
            '<td class="c-title">{}{}</td>'
            '<td class="small text-nowrap">{}{}{}</td>'
            '<td class="text-end text-nowrap">{}</td>{}</tr>',
            c.pk,
            classes,
            " ".join(map(str, c.ancestor_ids)),
            format_html(' title="{}"', c.code) if c.typed_code else "",
            "" if c.is_leaf else self._toggle(c),
            c.shown_code,
            c.title,
            format_html('<div class="small text-body-secondary fw-normal">{}</div>', c.guidance)
            if c.guidance
            else "",
            c.get_kind_display(),
            format_html('<br><span class="text-body-secondary">{}</span>', c.get_rule_display())
            if c.rule
            else "",
            format_html('<br><span class="text-danger">{}</span>', self.no_flag)
            if c.disqualifying
            else "",
            criterion_max(c),
            self._actions(c) if self.editable else "",
        )

    def _toggle(self, c):
        return format_html(
            '<button type="button" class="btn btn-link btn-sm p-0 me-1 collapse-toggle" '
            'data-collapse="{}" aria-expanded="true" aria-label="{} {}">▾</button>',
            c.pk,
            self.collapse,
            c.code,
        )

    def _actions(self, c):
        move = format_html(
            '<form method="post" action="{}" class="d-inline">{}'
            '<input type="hidden" name="anchor" value="#c{}">'
            '<input type="hidden" name="seen" value="{}">{} {} </form>',
            reverse("scoring:criterion_move", args=[self.compact.pk, c.pk]),
            self.csrf,
            c.pk,
            c.seen_order,
            self.reordered,
            format_html_join(
                " ",
                '<button class="btn btn-sm btn-link p-0" name="direction" value="{}" '
                'aria-label="{} {}">{}</button>',
                (("up", self.up, c.code, "▲"), ("down", self.down, c.code, "▼")),
            ),
        )
        links = [move]
        if c.level < self.max_depth:
            links.append(
                format_html(
                    '<a class="btn btn-sm btn-link p-0 ms-2" href="?parent={}#add">{}</a>',
                    c.pk,
                    self.add_below,
                )
            )
        links.append(
            format_html(
                '<a class="btn btn-sm btn-link p-0 ms-2" href="{}">{}</a>',
                reverse("scoring:criterion", args=[self.compact.pk, c.pk]),
                self.edit,
            )
        )
        return format_html('<td class="text-end text-nowrap">{}</td>', mark_safe(" ".join(links)))
