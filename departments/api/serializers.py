"""API representation of units, with their other names and the groups they belong to."""

from __future__ import annotations

from rest_framework import serializers

from departments.models import Unit, UnitAlias


class UnitAliasSerializer(serializers.ModelSerializer):
    class Meta:
        model = UnitAlias
        fields = ["name", "kind", "renamed_on"]


class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name", "district"]


class UnitSerializer(serializers.ModelSerializer):
    aliases = UnitAliasSerializer(many=True, read_only=True)
    groups = UnitRefSerializer(many=True, read_only=True, help_text="该单位所属的统称（如“各街乡镇”）")
    members = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text="统称代表的单位")

    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "kind",
            "district",
            "is_active",
            "needs_review",
            "aliases",
            "groups",
            "members",
        ]
