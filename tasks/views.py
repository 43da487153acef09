"""Pages for reading plans. Thin: the selectors do the reading."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from . import selectors
from .models import Plan


@login_required
def home(request):
    return render(request, "tasks/plan_list.html", {"plans": selectors.plan_list()})


@login_required
def plan_detail(request, pk: int):
    plan = get_object_or_404(Plan, pk=pk)
    return render(request, "tasks/plan_detail.html", {"plan": plan, "chapters": selectors.plan_tree(plan)})
