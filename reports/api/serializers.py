"""API representations of monthly reports (with their items and reviews) and rankings."""

from __future__ import annotations

import datetime as dt

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bluesky.api.serializers import FlatListSerializer
from reports.models import MonthlyRanking, MonthlyReport, MonthlyReportItem, RankingRow, ReportReview

MAX_VERSION = 2**31 - 1


class MonthlyReportItemSerializer(serializers.ModelSerializer):
    measure_code = serializers.CharField(source="measure.code", read_only=True)

    class Meta:
        model = MonthlyReportItem
        fields = ["measure", "measure_code", "status", "percent", "note"]
        list_serializer_class = FlatListSerializer  # a busy unit's report holds 1,600 items


class ReportReviewSerializer(serializers.ModelSerializer):
    reviewer = serializers.CharField(source="reviewer.username", read_only=True)

    class Meta:
        model = ReportReview
        fields = ["decision", "comment", "reviewer", "created_at"]


class MonthlyReportSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    on_time = serializers.BooleanField(
        source="is_on_time", read_only=True, allow_null=True, help_text="首次报送是否在截止日内；未报送时为空"
    )

    class Meta:
        model = MonthlyReport
        fields = [
            "id",
            "unit",
            "unit_name",
            "period",
            "due_date",
            "state",
            "summary",
            "first_submitted_at",
            "submitted_at",
            "accepted_at",
            "return_count",
            "on_time",
            "version",
            "updated_at",
        ]


class MonthlyReportDetailSerializer(MonthlyReportSerializer):
    items = MonthlyReportItemSerializer(many=True, read_only=True)
    reviews = ReportReviewSerializer(many=True, read_only=True)

    class Meta(MonthlyReportSerializer.Meta):
        fields = [*MonthlyReportSerializer.Meta.fields, "items", "reviews"]


@extend_schema_field({"type": "string", "format": "date", "pattern": r"^20[0-9]{2}-[0-9]{2}-[0-9]{2}$"})
class PeriodField(serializers.DateField):
    """A date of 2000—2099 (the schema's pattern; the serializer checks the range)."""


class MonthlyReportCreateSerializer(serializers.Serializer):
    """Open (or find) the unit's report for a month, as a draft."""

    unit = serializers.IntegerField(min_value=1, max_value=2**62)
    period = PeriodField(help_text="月份（2000—2099 年的任一天，按所在月份计）")

    def validate_period(self, value: dt.date) -> dt.date:
        if not 2000 <= value.year <= 2099:
            raise serializers.ValidationError("月份超出范围。")
        return value.replace(day=1)


@extend_schema_field(
    {"type": "string", "minLength": 1, "maxLength": 10000, "pattern": r"^[^\x00]*[^\s\x00][^\x00]*$"}
)
class SummaryField(serializers.CharField):
    def __init__(self, **kwargs):
        super().__init__(max_length=10000, error_messages={"blank": "请填写本月工作小结。"}, **kwargs)


class MonthlyReportSubmitSerializer(serializers.Serializer):
    summary = SummaryField(required=False, help_text="本月工作小结；不填时沿用草稿中的小结")
    expected_version = serializers.IntegerField(
        min_value=1,
        max_value=MAX_VERSION,
        required=False,
        allow_null=True,
        help_text="打开月报时的版本号；已被他人更新时返回 409",
    )


class RankingRowSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(read_only=True)  # RankingRow.objects.with_unit_name()
    period = serializers.DateField(source="ranking.period", read_only=True)

    class Meta:
        model = RankingRow
        fields = [
            "period",
            "board",
            "rank",
            "unit",
            "unit_name",
            "score",
            "measures",
            "done",
            "finished_late",
            "on_track",
            "overdue",
            "on_time_report_rate",
            "returned",
            "rank_change",
        ]
        # A ranking over a city's units nests 1,500 rows: read without DRF's walk per row and field.
        list_serializer_class = FlatListSerializer


class MonthlyRankingSerializer(serializers.ModelSerializer):
    rows = RankingRowSerializer(many=True, read_only=True)

    class Meta:
        model = MonthlyRanking
        fields = ["id", "period", "jurisdiction", "formula", "generated_at", "rows"]
