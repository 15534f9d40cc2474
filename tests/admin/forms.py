"""Turn a rendered admin page back into the POST data its form would submit unchanged."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpResponse


def _field_data(form: forms.BaseForm) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        value = form[name].value()
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[key] = "on"
        elif isinstance(field.widget, forms.MultiWidget):
            for index, part in enumerate(field.widget.decompress(value)):
                data[f"{key}_{index}"] = "" if part is None else part
        elif isinstance(value, list | tuple):
            data[key] = [str(item) for item in value]
        else:
            data[key] = "" if value is None else value
    return data


def change_form_data(response: HttpResponse) -> dict[str, Any]:
    """The data of the page's main form and every inline formset, as initially rendered."""
    context = response.context  # type: ignore[attr-defined]
    data = _field_data(context["adminform"].form)
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        data.update(_field_data(formset.management_form))
        for form in formset.forms:
            data.update(_field_data(form))
    return data
