from django import template

from observatoire.core.formats import format_number

register = template.Library()


@register.filter
def nombre(value):
    """1878061 → « 1 878 061 »."""
    if value in (None, ""):
        return ""
    return format_number(int(value))


@register.filter
def with_error_state(field):
    """Render a form field; when it has errors, tie them to it for screen readers."""
    if not field.errors:
        return field.as_widget()
    described_by = [f"{field.auto_id}_error"]
    if field.help_text:
        described_by.insert(0, f"{field.auto_id}_helptext")
    return field.as_widget(attrs={"aria-invalid": "true", "aria-describedby": " ".join(described_by)})
