"""API representations of plans, chapters, tasks, measures, assignments and progress updates."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound

from departments.scopes import reading_scope
from tasks.models import Assignment, Chapter, Evidence, Measure, Milestone, Plan, ProgressUpdate, Task
from tasks.traffic_light import Light, measure_light

MAX_VERSION = 2**31 - 1


class PlanSerializer(serializers.ModelSerializer):
    chapter_count = serializers.IntegerField(read_only=True)
    task_count = serializers.IntegerField(read_only=True)
    measure_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "title",
            "issuing_body",
            "doc_number",
            "level",
            "district",
            "year_start",
            "year_end",
            "issue_date",
            "goals",
            "chapter_count",
            "task_count",
            "measure_count",
            "created_at",
            "updated_at",
        ]


class ChapterSerializer(serializers.ModelSerializer):
    task_count = serializers.IntegerField(read_only=True)
    measure_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Chapter
        fields = ["id", "plan", "number", "title", "task_count", "measure_count"]


class TaskSerializer(serializers.ModelSerializer):
    measure_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Task
        fields = ["id", "plan", "chapter", "number", "title", "measure_count"]


class MeasureAssignmentSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "unit", "unit_name", "role", "source", "confirmed"]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["date", "text"]


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["id", "original_name", "extension", "size", "sha256", "created_on"]


class LatestProgressSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "unit",
            "unit_name",
            "status",
            "percent",
            "note",
            "delay_reason",
            "sets_measure",
            "created_at",
        ]
        read_only_fields = ["sets_measure"]


class LatestProgressField(LatestProgressSerializer):
    """The measure's newest progress update, from the ``latest_progress`` prefetch when the list loaded it."""

    def get_attribute(self, measure):
        latest = getattr(measure, "latest_progress", None)
        if latest is None:  # not prefetched (a single measure): one query
            latest = list(measure.progress_updates.select_related("unit").newest_first()[:1])
        return latest[0] if latest else None


class MeasureSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="task.plan_id", read_only=True)
    chapter = serializers.IntegerField(source="task.chapter_id", read_only=True)
    assignments = MeasureAssignmentSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    # One serializer instance for every row (a serializer built per measure costs more than the query).
    latest_progress = LatestProgressField(read_only=True, allow_null=True)
    light = serializers.SerializerMethodField()

    class Meta:
        model = Measure
        fields = [
            "id",
            "plan",
            "chapter",
            "task",
            "sequence",
            "code",
            "text",
            "deadline_text",
            "deadline_kind",
            "due_date",
            "window_start",
            "window_end",
            "deadline_guessed",
            "deadline_note",
            "needs_review",
            "status",
            "percent",
            "signed_off_at",
            "version",
            "updated_at",
            "light",
            "assignments",
            "milestones",
            "latest_progress",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=[light.value for light in Light]))
    def get_light(self, measure) -> str:
        """Computed by the database for lists (``light_value``, tasks/traffic_light_sql.py), else by the rule."""
        value = getattr(measure, "light_value", None)
        return value if value is not None else measure_light(measure, today=timezone.localdate()).value


class AssignmentSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    measure_code = serializers.CharField(source="measure.code", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "measure",
            "measure_code",
            "unit",
            "unit_name",
            "role",
            "source",
            "confirmed",
            "written_as",
        ]


class ProgressUpdateSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    author = serializers.CharField(source="author.username", read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "measure",
            "unit",
            "unit_name",
            "author",
            "status",
            "percent",
            "note",
            "delay_reason",
            "sets_measure",
            "created_at",
            "evidence",
        ]
        # Whether this update set the measure's status and percent (a 牵头 unit's) or reported a unit's part.
        read_only_fields = ["sets_measure"]


@extend_schema_field(
    {"type": "string", "minLength": 1, "maxLength": 5000, "pattern": r"^[^\x00]*[^\s\x00][^\x00]*$"}
)
class TextField(serializers.CharField):
    """Text that must say something: the schema says so; a blank one reaches the service, which answers in
    Chinese beside the other fields' messages (as the page does)."""

    def __init__(self, **kwargs):
        super().__init__(max_length=5000, allow_blank=True, **kwargs)


class ProgressUpdateCreateSerializer(serializers.Serializer):
    """What a unit reports; tasks.services.record_progress checks the rest (as on the page)."""

    measure = serializers.IntegerField(min_value=1, max_value=2**62)
    status = serializers.ChoiceField(choices=Measure.Status.choices)
    note = TextField()
    percent = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True)
    delay_reason = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    unit = serializers.IntegerField(
        min_value=1,
        max_value=2**62,
        required=False,
        allow_null=True,
        help_text="填报单位（承担该措施的本人单位之一）；不填时自动选择",
    )
    expected_version = serializers.IntegerField(
        min_value=1,
        max_value=MAX_VERSION,
        required=False,
        allow_null=True,
        help_text="打开措施时的版本号；措施已被他人更新时返回 409",
    )

    def validate_measure(self, value):
        """Another jurisdiction's measure reads as one that does not exist (departments/scopes.py): a well-formed
        id of nothing answers 404, as for /api/measures/{id}/."""
        request = self.context.get("request")
        measures = Measure.objects.in_scope(reading_scope(request.user)) if request else Measure.objects.all()
        measure = measures.filter(pk=value).first()
        if measure is None:
            raise NotFound("没有这项措施。")
        return measure


class ProgressUpdateCreateSchema(OpenApiSerializerExtension):
    """The schema adds what the service requires: 无法按期完成 (delayed) needs a delay_reason."""

    target_class = ProgressUpdateCreateSerializer

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_basic_serializer(self.target, direction)
        # Spelled with "not" (not "enum") so drf-spectacular's enum hook leaves the two variants apart.
        others = [value for value in Measure.Status.values if value != Measure.Status.DELAYED]
        schema["anyOf"] = [
            {"properties": {"status": {"not": {"enum": [Measure.Status.DELAYED]}}}},
            {
                "properties": {
                    "status": {"not": {"enum": others}},
                    "delay_reason": {
                        "type": "string",
                        "minLength": 1,
                        "pattern": r"^[^\x00]*[^\s\x00][^\x00]*$",
                    },
                },
                "required": ["delay_reason"],
            },
        ]
        return schema
