from django import forms
from django.contrib.auth.base_user import BaseUserManager
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from newsbrief.briefs.models import Category

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
        by_name = "name_zh_hant" if get_language().startswith("zh") else "name_en"
        self.fields["categories"].queryset = Category.objects.order_by(by_name, "pk")


class SubscribeForm(PreferencesForm):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)

    class Meta(PreferencesForm.Meta):
        fields = ["email", *PreferencesForm.Meta.fields]

    def clean_email(self) -> str:
        return BaseUserManager.normalize_email(self.cleaned_data["email"].strip())

    def validate_unique(self) -> None:
        """Not checked: the form must not tell whether an address is subscribed
        (``subscriptions.request`` handles an address it knows)."""
