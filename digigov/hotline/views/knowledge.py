"""知识库: agents and dispatchers search the Q&A on purpose (the intake page shows matches as the text is typed);
knowledge managers (HOTLINE_MANAGE_KNOWLEDGE) add, edit and deactivate entries through
reference.knowledge_entry_save / knowledge_entry_deactivate (audited).

Search segments the query with jieba and ranks by analytics.knowledge.search_knowledge (BM25 over the stored
tokens), so "人才购房补贴" finds an entry that says "人才新政……购房补贴". Without a query the page lists the
latest entries, paginated."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from digigov.core.errors import Conflict, DomainError, NotFound
from digigov.hotline.forms import KnowledgeEntryForm, KnowledgeSearchForm
from digigov.hotline.models import KnowledgeEntry
from digigov.hotline.selectors import knowledge_entry_get
from digigov.hotline.selectors_settings import (
    KnowledgeResult,
    knowledge_categories,
    knowledge_category_get,
    knowledge_search,
    latest_knowledge,
)
from digigov.hotline.services import reference
from digigov.hotline.services.assignment import responsible_department
from digigov.hotline.views.common import hotline_links
from digigov.identity.current import current_user
from digigov.identity.forms import apply_domain_error
from digigov.identity.permissions import Perm
from digigov.identity.policies import Access, access

KNOWLEDGE_PAGE_SIZE = 20


@access(Access.STAFF)
@require_GET
def knowledge(request: HttpRequest) -> HttpResponse:
    """Search (q) or the latest entries; for agents, dispatchers and knowledge managers (a policy names one
    permission, so the rule is the console links' ``can_search_knowledge``)."""
    user = current_user(request)
    links = hotline_links(user)
    if not links.can_search_knowledge:
        raise PermissionDenied("没有查询热线知识库的权限")
    form = KnowledgeSearchForm(request.GET or None)
    query = form.query() if form.is_bound else ""
    context: dict[str, Any] = {
        "form": form,
        "query": query,
        "links": links,
        "can_manage": links.can_manage_knowledge,
        "here": request.get_full_path(),
    }
    if query:
        context["results"] = knowledge_search(query)
    else:
        page = Paginator(latest_knowledge(), KNOWLEDGE_PAGE_SIZE).get_page(request.GET.get("page"))
        context["page"] = page
        context["results"] = [KnowledgeResult(entry=e, category=e.category) for e in page.object_list]
    return render(request, "hotline/console/knowledge.html", context)


def _category_choices() -> list[tuple[int, str]]:
    return [(c.pk, c.path) for c in knowledge_categories()]


def _entry_or_404(entry_id: int) -> KnowledgeEntry:
    try:
        return knowledge_entry_get(entry_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _save(request: HttpRequest, entry: KnowledgeEntry | None) -> HttpResponse:
    user = current_user(request)
    initial = (
        {"question": entry.question, "answer": entry.answer, "category": entry.category_id} if entry is not None else {}
    )
    form = KnowledgeEntryForm(request.POST or None, initial=initial, category_choices=_category_choices())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            category = knowledge_category_get(data["category"]) if data.get("category") else None
            saved = reference.knowledge_entry_save(
                actor=user,
                question=data["question"],
                answer=data["answer"],
                category=category,
                department=responsible_department(category) if category is not None else None,
                source=entry.source if entry is not None else "manual",
                entry=entry,
            )
        except NotFound as error:
            form.add_error("category", error.message)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"知识条目已{'修改' if entry is not None else '添加'}：{saved.question[:40]}")
            return redirect(f"{reverse('hotline_console:knowledge')}?{urlencode({'q': saved.question[:60]})}")
    return render(
        request,
        "hotline/console/knowledge_form.html",
        {"form": form, "entry": entry, "links": hotline_links(user)},
    )


@access(Perm.HOTLINE_MANAGE_KNOWLEDGE)
def knowledge_new(request: HttpRequest) -> HttpResponse:
    return _save(request, None)


@access(Perm.HOTLINE_MANAGE_KNOWLEDGE)
def knowledge_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    return _save(request, _entry_or_404(entry_id))


@access(Perm.HOTLINE_MANAGE_KNOWLEDGE)
@require_POST
def knowledge_deactivate(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry_or_404(entry_id)
    try:
        reference.knowledge_entry_deactivate(actor=current_user(request), entry=entry)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"知识条目已停用，话务员将不再检索到：{entry.question[:40]}")
    target = request.POST.get("next", "")
    if target.startswith(reverse("hotline_console:knowledge")):
        return redirect(target)
    return redirect("hotline_console:knowledge")
