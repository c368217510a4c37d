"""The page types of the three trees: the public site, intranet and extranet.

The public tree is HomePage with standard pages, news and a contact form.
The intranet (IntranetHomePage, usually at /intranet/) admits the staff of
the companies; the extranet (ExtranetHomePage, usually at /extranet/) admits
partners and customers, and each extranet page can be narrowed further to
some groups through Wagtail's privacy setting. Every page is rendered in
the theme chosen for its site (see the themes app).
"""

from django.core.paginator import Paginator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from modules.core.models import Membership
from pages import access
from pages.blocks import BodyBlock
from themes.selectors import theme_context, theme_for_request, theme_template

NEWS_PER_PAGE = 10
LATEST_NEWS_COUNT = 3
INTRANET_NEWS_COUNT = 5


class ThemedPageMixin:
    """Render a page in its site's theme; a theme may override its template."""

    def get_template(self, request, *args, **kwargs):
        template = super().get_template(request, *args, **kwargs)
        return [theme_template(theme_for_request(request), template), template]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(theme_context(request))
        return context


class SectionPageMixin(ThemedPageMixin):
    """A page of a members-only tree, whose home page decides who gets in.

    `section_home_model` names the home page type of the tree; the
    `before_serve_page` hook asks that home page whether to admit a user.
    """

    section_home_model = ""

    def get_section_home(self):
        """Return the home page of the tree this page belongs to."""
        home = (
            self.get_ancestors(inclusive=True)
            .type(self._section_home_class())
            .order_by("-depth")
            .first()
        )
        return home.specific if home else None

    def _section_home_class(self):
        return self._meta.apps.get_model(self.section_home_model)

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # Personal pages must never be kept by a shared cache.
        add_never_cache_headers(response)
        return response


class ArticlePage(ThemedPageMixin, Page):
    """The fields shared by public and intranet news items."""

    date = models.DateField(_("date"), default=timezone.localdate)
    intro = models.TextField(_("introduction"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    class Meta:
        abstract = True


class ContentPage(ThemedPageMixin, Page):
    """An introduction and a body: the fields of a plain content page."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    class Meta:
        abstract = True


class NewsListMixin:
    """List the live news items below this page, newest first."""

    news_model = ""

    def news_items(self, request, limit=None):
        """Return the live news items below this page that `request` may see."""
        news = (
            self._meta.apps.get_model(self.news_model)
            .objects.live()
            .descendant_of(self)
            .order_by("-date", "-first_published_at")
        )
        return access.viewable_pages(news[:limit], request)


class NewsIndexMixin(NewsListMixin):
    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(self.news_items(request), NEWS_PER_PAGE)
        context["news"] = paginator.get_page(request.GET.get("page"))
        return context


# The public site


class HomePage(ThemedPageMixin, NewsListMixin, Page):
    """The root of a public site: a hero, a body and the latest news."""

    hero_title = models.CharField(_("hero title"), max_length=200, blank=True)
    hero_text = models.TextField(_("hero text"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    news_model = "pages.NewsPage"
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
            ],
            heading=_("Hero"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("hero_text"),
        index.SearchField("body"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "pages.StandardPage",
        "pages.NewsIndexPage",
        "pages.ContactFormPage",
        "outreach.EventRegistrationPage",
        "pages.IntranetHomePage",
        "pages.ExtranetHomePage",
    ]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = self.news_items(request, LATEST_NEWS_COUNT)
        return context


class StandardPage(ContentPage):
    """An ordinary page of the public site."""

    parent_page_types = ["pages.HomePage", "pages.StandardPage"]
    subpage_types = [
        "pages.StandardPage",
        "pages.ContactFormPage",
        "outreach.EventRegistrationPage",
    ]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


class NewsIndexPage(ThemedPageMixin, NewsIndexMixin, Page):
    """The news list of the public site."""

    intro = models.TextField(_("introduction"), blank=True)

    news_model = "pages.NewsPage"
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.NewsPage"]

    class Meta:
        verbose_name = _("news index page")
        verbose_name_plural = _("news index pages")


class NewsPage(ArticlePage):
    """A news item of the public site."""

    parent_page_types = ["pages.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")


class ContactFormField(AbstractFormField):
    page = ParentalKey(
        "pages.ContactFormPage", on_delete=models.CASCADE, related_name="form_fields"
    )


class ContactFormPage(ThemedPageMixin, AbstractEmailForm):
    """A form built in the admin; submissions are stored and emailed."""

    intro = RichTextField(_("introduction"), blank=True)
    thank_you_text = RichTextField(
        _("thank-you text"),
        blank=True,
        help_text=_("Shown after a visitor has sent the form."),
    )

    content_panels = [
        *AbstractEmailForm.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Form fields")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("Email"),
        ),
    ]
    parent_page_types = ["pages.HomePage", "pages.StandardPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("contact form page")
        verbose_name_plural = _("contact form pages")

    def get_landing_page_template(self, request, *args, **kwargs):
        template = super().get_landing_page_template(request, *args, **kwargs)
        return [theme_template(theme_for_request(request), template), template]

    def send_mail(self, form):
        """Email the submission to the form's recipients."""
        # Sent from a Celery worker, so a slow mail server never holds up
        # the visitor; the submission itself is already stored.
        from pages.tasks import send_form_submission

        recipients = [
            address.strip() for address in self.to_address.split(",") if address.strip()
        ]
        send_form_submission.delay(
            subject=self.subject or self.title,
            body=self.render_email(form),
            recipients=recipients,
            from_address=self.from_address,
        )


# The intranet


class IntranetHomePage(SectionPageMixin, NewsListMixin, Page):
    """The intranet's front page, personal to the employee who reads it."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    section_home_model = "pages.IntranetHomePage"
    news_model = "pages.IntranetNewsPage"
    refusal_message = _(
        "The intranet is for the staff of our companies, and your account "
        "is not among them."
    )
    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page", "pages.HomePage"]
    subpage_types = ["pages.IntranetNewsIndexPage", "pages.IntranetStandardPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("intranet home page")
        verbose_name_plural = _("intranet home pages")

    @staticmethod
    def admits(user) -> bool:
        """Return whether `user` may read the intranet."""
        return access.works_for_a_company(user)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        user = request.user
        context["latest_news"] = self.news_items(request, INTRANET_NEWS_COUNT)
        context["news_index"] = (
            self.get_children().live().type(IntranetNewsIndexPage).first()
        )
        if user.is_authenticated:
            context["greeting_name"] = user.get_short_name() or user.get_username()
            context["memberships"] = (
                Membership.objects.filter(user=user)
                .select_related("company")
                .order_by("company__name")
            )
            if user.is_staff and user.has_perm("wagtailadmin.access_admin"):
                context["admin_url"] = reverse("wagtailadmin_home")
        return context


class IntranetNewsIndexPage(SectionPageMixin, NewsIndexMixin, Page):
    """The list of intranet news."""

    intro = models.TextField(_("introduction"), blank=True)

    section_home_model = "pages.IntranetHomePage"
    news_model = "pages.IntranetNewsPage"
    template = "pages/news_index_page.html"
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["pages.IntranetHomePage"]
    subpage_types = ["pages.IntranetNewsPage"]

    class Meta:
        verbose_name = _("intranet news index page")
        verbose_name_plural = _("intranet news index pages")


class IntranetNewsPage(SectionPageMixin, ArticlePage):
    """A news item for the staff."""

    section_home_model = "pages.IntranetHomePage"
    template = "pages/news_page.html"
    parent_page_types = ["pages.IntranetNewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("intranet news item")
        verbose_name_plural = _("intranet news items")


class IntranetStandardPage(SectionPageMixin, ContentPage):
    """An ordinary intranet page: instructions, policies, contacts."""

    section_home_model = "pages.IntranetHomePage"
    template = "pages/standard_page.html"
    parent_page_types = ["pages.IntranetHomePage", "pages.IntranetStandardPage"]
    subpage_types = ["pages.IntranetStandardPage"]

    class Meta:
        verbose_name = _("intranet page")
        verbose_name_plural = _("intranet pages")


# The extranet


class ExtranetHomePage(SectionPageMixin, Page):
    """The extranet's front page, for partners and customers."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    section_home_model = "pages.ExtranetHomePage"
    refusal_message = _(
        "The extranet is for our partners and customers, and your account "
        "is not among them."
    )
    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page", "pages.HomePage"]
    subpage_types = ["pages.ExtranetPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("extranet home page")
        verbose_name_plural = _("extranet home pages")

    @staticmethod
    def admits(user) -> bool:
        """Return whether `user` may read the extranet."""
        return access.is_partner_or_customer(user)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if request.user.is_authenticated:
            context["greeting_name"] = (
                request.user.get_short_name() or request.user.get_username()
            )
        context["sections"] = access.viewable_pages(
            self.get_children().live().specific(), request
        )
        return context


class ExtranetPage(SectionPageMixin, ContentPage):
    """An extranet page; its privacy setting says which groups may read it."""

    section_home_model = "pages.ExtranetHomePage"
    parent_page_types = ["pages.ExtranetHomePage", "pages.ExtranetPage"]
    subpage_types = ["pages.ExtranetPage"]

    class Meta:
        verbose_name = _("extranet page")
        verbose_name_plural = _("extranet pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = access.viewable_pages(
            self.get_children().live().specific(), request
        )
        return context
