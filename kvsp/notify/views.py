"""The notification centre (/app/notifications/) and each person's e-mail preferences. A person
sees and changes only their own: another person's notification is a 404."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from . import services
from .forms import PreferencesForm
from .models import Notification, Preference


class NotificationListView(LoginRequiredMixin, TemplateView):
    """The person's notifications, newest first: those still asking for something, or with
    ``?handled=1`` the handled ones too (marked as such)."""

    template_name = "notify/notification_list.html"
    http_method_names = ["get", "head", "options"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        notifications = Notification.objects.for_user(self.request.user)
        with_handled = self.request.GET.get("handled") == "1"
        if not with_handled:
            notifications = notifications.unhandled()
        pages = Paginator(notifications, 50)
        context["page"] = pages.get_page(self.request.GET.get("page"))
        context["with_handled"] = with_handled
        return context


class NotificationReadView(LoginRequiredMixin, View):
    """POST: mark one notification read (``pk``) or all of them, then go back to the centre or
    open the notification's own address."""

    http_method_names = ["post"]

    def post(self, request, pk=None):
        if pk is not None:
            notification = Notification.objects.for_user(request.user).filter(pk=pk).first()
            if notification is None:
                raise Http404
            services.mark_read(user=request.user, notification_id=pk)
            target = notification.url if request.POST.get("open") else ""
            if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
                return HttpResponseRedirect(target)
        else:
            count = services.mark_read(user=request.user)
            messages.success(
                request, _("All notifications are marked read.") if count else _("Nothing was unread.")
            )
        return HttpResponseRedirect(reverse("notify:list"))


class PreferencesView(LoginRequiredMixin, FormView):
    template_name = "notify/preferences.html"
    form_class = PreferencesForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["current"] = dict(
            Preference.objects.filter(user=self.request.user).values_list("kind", "mode")
        )
        return kwargs

    def form_valid(self, form):
        services.preferences_save(user=self.request.user, modes=form.cleaned_data)
        messages.success(self.request, _("Your notification settings were saved."))
        return HttpResponseRedirect(reverse("notify:preferences"))
