"""What a brief can hold, read from the model fields that store it, so the desk's form, the
API's schema, the admin and the importer cannot disagree with the database or each other.
The counts are the product's own: a brief is a short news item, not a link farm."""

from django.contrib.auth import get_user_model

from .models import Brief, Category, RelatedLink, SourceLink

TITLE = Brief._meta.get_field("title").max_length
SOURCE_NAME = Brief._meta.get_field("source_name").max_length
TAG = Category._meta.get_field("name_en").max_length
LINK_LABEL = SourceLink._meta.get_field("label").max_length
LINK_URL = SourceLink._meta.get_field("url").max_length
RELATED_TITLE = RelatedLink._meta.get_field("cited_title").max_length
AUTHOR = get_user_model()._meta.get_field("username").max_length
BODY = 100_000

#: The years a date of a brief can fall in: outside them a date is a typing mistake, and some
#: date arithmetic (a day before 0001-01-01, a year past 9999) cannot count it.
YEARS = range(1900, 9000)

MAX_TAGS = 20
MAX_LINKS = 50
MAX_RELATED = 50
