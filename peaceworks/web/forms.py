"""The form renderer: every form on the site renders through the same accessible markup."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    form_template_name = "web/form.html"
    field_template_name = "web/field.html"
