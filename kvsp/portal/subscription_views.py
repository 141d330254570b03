"""/<municipality>/follow/...: follow a council by e-mail, without an account (issue 23 item 1).

The subscribe form has the concern form's protections (a honeypot, a per-address rate limit, and
a limit per e-mail address so nobody floods a stranger's inbox) and answers the same whatever the
address's state. A confirmation link, and an unsubscribe address, show a button first: following
a link changes nothing (mail scanners open links); the button's POST does. The unsubscribe POST
needs no CSRF token: RFC 8058 mail programs POST ``List-Unsubscribe=One-Click`` to it, and the
address's secret is its protection."""

from django import forms
from django.conf import settings
from django.core import signing
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kvsp.core.ratelimit import limit_posts, refused_for

from . import subscriptions
from .lookups import public_council
from .models import Subscription, Topic

# Confirmation e-mails one address may be sent in an hour, whoever asks.
PER_ADDRESS_LIMIT = 3
PER_ADDRESS_WINDOW = 60 * 60


class SubscribeForm(forms.Form):
    """``website`` is a trap for robots, as on the concern form."""

    email = forms.EmailField(label=gettext_lazy("Your e-mail"), max_length=254)
    topics = forms.MultipleChoiceField(
        label=gettext_lazy("What do you want to hear about?"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=Topic.values,
        error_messages={"required": gettext_lazy("Choose at least one topic.")},
    )
    website = forms.CharField(label=gettext_lazy("Leave this field empty"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("Leave this field empty."))
        return ""


def _page_language(request, language: str | None) -> str:
    """A subscriber's page speaks the subscriber's language (the one the e-mails use), unless the
    visitor chose one with the switcher: that choice wins, as on every other page."""
    if language and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        return language
    return translation.get_language() or settings.LANGUAGE_CODE


def _message(request, council, *, title, lines, status=200, action="", button="", language=None, link=""):
    context = {
        "council": council,
        "title": title,
        "lines": lines,
        "action": action,
        "button": button,
        "link": link,
        "link_label": gettext_lazy("Subscribe again"),
    }
    with translation.override(_page_language(request, language)):
        return render(request, "portal/subscription_message.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts("subscribe", "CONCERN_RATE_LIMIT", "CONCERN_RATE_WINDOW")
def subscribe(request, slug):
    """/<municipality>/follow/: an address and the topics; a confirmation e-mail goes to it."""
    council = public_council(slug)
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = subscriptions.normalise(form.cleaned_data["email"])
        checks = [("email", f"{council.pk}:{email}", PER_ADDRESS_LIMIT)]
        if refused_for("subscribe", checks, PER_ADDRESS_WINDOW) is None:
            subscriptions.subscribe(
                council=council,
                email=email,
                topics=form.cleaned_data["topics"],
                language=translation.get_language() or settings.LANGUAGE_CODE,
            )
        # The same answer whatever the address's state (new, waiting, already confirmed, or over
        # its limit): nothing tells a stranger whether an address follows the council.
        return _message(
            request,
            council,
            title=_("Check your e-mail"),
            lines=[
                _(
                    "We sent a message to the address you gave. Open the link in it to confirm: "
                    "nothing is sent to you before you confirm."
                ),
                _("The link is valid for %(days)d days. If nothing arrives, look in your spam folder.")
                % {"days": subscriptions.CONFIRM_DAYS},
            ],
        )
    return render(
        request,
        "portal/subscribe.html",
        {"council": council, "form": form, "confirm_days": subscriptions.CONFIRM_DAYS},
    )


def _language_of_link(council, value: str) -> str | None:
    """The subscriber's language, when the link's signature holds (even if expired)."""
    try:
        token = signing.TimestampSigner(salt=subscriptions.SALT).unsign(value)
    except signing.BadSignature:
        return None
    return (
        Subscription.objects.filter(council=council, token=token).values_list("language", flat=True).first()
    )


LINK_ERRORS = {
    "expired": gettext_lazy(
        "This confirmation link has expired: it was valid for %(days)d days. Subscribe again and "
        "use the link of the new message."
    ),
    "invalid": gettext_lazy("This confirmation link is not valid. Check that you copied all of it."),
    "gone": gettext_lazy(
        "This subscription no longer exists: it was cancelled, or not confirmed in time. Subscribe again."
    ),
}


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, slug, value):
    """/<municipality>/follow/confirm/<signed token>/: a button, whose POST confirms."""
    council = public_council(slug)
    language = _language_of_link(council, value)
    try:
        if request.method == "POST":
            subscription, now = subscriptions.confirm(council=council, value=value)
        else:
            subscription, now = subscriptions.check_link(council=council, value=value), None
    except subscriptions.LinkError as error:
        with translation.override(_page_language(request, language)):
            line = str(LINK_ERRORS[error.reason]) % {"days": subscriptions.CONFIRM_DAYS}
        return _message(
            request,
            council,
            title=gettext_lazy("The link cannot be used"),
            lines=[line],
            status=400 if error.reason == "invalid" else 410,
            language=language,
            link=reverse("portal:subscribe", args=[council.slug]),
        )
    if now is None and subscription.confirmed_at is None:
        return _message(
            request,
            council,
            title=gettext_lazy("Confirm your subscription"),
            lines=[gettext_lazy("Press the button to start receiving the council's news by e-mail.")],
            action=request.path,
            button=gettext_lazy("Confirm"),
            language=language,
        )
    lines = [
        gettext_lazy("Your subscription is confirmed. You will receive the council's news by e-mail.")
        if now
        else gettext_lazy("This link was already used: your subscription is confirmed."),
        gettext_lazy("Every message has a link to unsubscribe with one click."),
    ]
    return _message(request, council, title=gettext_lazy("Subscribed"), lines=lines, language=language)


class TopicsForm(forms.Form):
    topics = SubscribeForm.base_fields["topics"]


def _manage(request, council, subscription, form=None, status=200):
    form = form or TopicsForm(initial={"topics": subscription.topics})
    with translation.override(_page_language(request, subscription.language)):
        return render(
            request,
            "portal/subscription_manage.html",
            {"council": council, "form": form, "action": request.path},
            status=status,
        )


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, slug, token):
    """/<municipality>/follow/unsubscribe/<token>/: the subscriber's page: change the topics, or
    unsubscribe. A POST without ``action=topics`` (the button's, or a mail program's one-click POST,
    RFC 8058) deletes the subscription and the e-mails sent to it."""
    council = public_council(slug)
    subscription = Subscription.objects.filter(council=council, token=token).first()
    language = subscription.language if subscription else None
    if request.method == "POST" and subscription is not None and request.POST.get("action") == "topics":
        form = TopicsForm(request.POST)
        if not form.is_valid():
            return _manage(request, council, subscription, form)
        subscriptions.change_topics(subscription=subscription, topics=form.cleaned_data["topics"])
        return _message(
            request,
            council,
            title=gettext_lazy("Topics saved"),
            lines=[gettext_lazy("You will receive the news of the topics you chose.")],
            language=language,
        )
    if request.method == "POST":
        subscriptions.unsubscribe(council=council, token=token)
        return _message(
            request,
            council,
            title=gettext_lazy("Unsubscribed"),
            lines=[
                gettext_lazy("You will receive no more e-mails about this council. Your address was deleted.")
            ],
            language=language,
        )
    if subscription is None:
        return _message(
            request,
            council,
            title=gettext_lazy("Not subscribed"),
            lines=[gettext_lazy("This address does not follow the council (any more).")],
        )
    return _manage(request, council, subscription)
