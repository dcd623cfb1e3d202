from django import forms
from django.contrib.auth.base_user import BaseUserManager
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from newsbrief.briefs.models import LANGUAGE_CHOICES, Category

from .models import Subscription


class CategoryChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, category: Category) -> str:
        return category.name_for(get_language())


class PreferencesForm(forms.ModelForm):
    """What a subscriber chooses: language, frequency and categories (none: all)."""

    categories = CategoryChoices(
        Category.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Categories"),
        help_text=_("Leave them all unticked to get every category."),
    )

    class Meta:
        model = Subscription
        fields = ["language", "frequency", "categories"]
        widgets = {"language": forms.RadioSelect, "frequency": forms.RadioSelect}
        labels = {"language": _("Briefs in"), "frequency": _("How often")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = LANGUAGE_CHOICES  # no empty choice: one is needed
        by_name = "name_zh_hant" if get_language().startswith("zh") else "name_en"
        self.fields["categories"].queryset = Category.objects.order_by(by_name, "pk")


class SubscribeForm(PreferencesForm):
    """The preferences and an address. The address is not a model field of the form, so
    validation never checks it against existing subscriptions: the form must not tell whether
    an address is subscribed (``subscriptions.request`` deals with one it knows)."""

    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    field_order = ["email"]

    def clean_email(self) -> str:
        return BaseUserManager.normalize_email(self.cleaned_data["email"].strip())
