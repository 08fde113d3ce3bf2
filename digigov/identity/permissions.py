"""Permission codes: what a role may do. A grant then says where (department, region subtree)."""

from __future__ import annotations

from enum import StrEnum


class Perm(StrEnum):
    CONSOLE_ACCESS = "console.access"
    VIEW_STAFF = "identity.view_staff"
    MANAGE_STAFF = "identity.manage_staff"
    MANAGE_ROLES = "identity.manage_roles"
    VIEW_ENTERPRISE = "identity.view_enterprise"
    MANAGE_ENTERPRISE = "identity.manage_enterprise"
    VIEW_CITIZEN = "identity.view_citizen"
    REGISTER_CITIZEN = "identity.register_citizen"
    OVERRIDE_VALIDATION = "identity.override_validation"
    AUDIT_VIEW = "audit.view"
    ACCEPT_APPLICATION = "services.accept_application"
    DECIDE_APPLICATION = "services.decide_application"
    MANAGE_CATALOGUE = "services.manage_catalogue"
    ANSWER_RECTIFICATION = "services.answer_rectification"
    VIEW_SERVICE_STATISTICS = "services.view_statistics"
    MANAGE_CREDIT = "credit.manage"
    HOTLINE_INTAKE = "hotline.intake"
    HOTLINE_DISPATCH = "hotline.dispatch"
    HOTLINE_HANDLE = "hotline.handle"
    HOTLINE_CALLBACK = "hotline.callback"
    HOTLINE_MANAGE_KNOWLEDGE = "hotline.manage_knowledge"
    HOTLINE_VIEW_STATISTICS = "hotline.view_statistics"
    HOTLINE_MANAGE = "hotline.manage"


PERM_LABELS: dict[Perm, str] = {
    Perm.CONSOLE_ACCESS: "进入工作台",
    Perm.VIEW_STAFF: "查看工作人员",
    Perm.MANAGE_STAFF: "管理工作人员",
    Perm.MANAGE_ROLES: "分配角色",
    Perm.VIEW_ENTERPRISE: "查看企业",
    Perm.MANAGE_ENTERPRISE: "管理企业",
    Perm.VIEW_CITIZEN: "查看自然人",
    Perm.REGISTER_CITIZEN: "代办实名注册",
    Perm.OVERRIDE_VALIDATION: "人工核验证件号码",
    Perm.AUDIT_VIEW: "查看审计日志",
    Perm.ACCEPT_APPLICATION: "受理办件(综合窗口)",
    Perm.DECIDE_APPLICATION: "审查决定办件",
    Perm.MANAGE_CATALOGUE: "维护事项目录",
    Perm.ANSWER_RECTIFICATION: "答复差评整改",
    Perm.VIEW_SERVICE_STATISTICS: "查看政务服务统计",
    Perm.MANAGE_CREDIT: "维护信用惩戒名单",
    Perm.HOTLINE_INTAKE: "热线受理(登记诉求)",
    Perm.HOTLINE_DISPATCH: "热线派单、延期审批与督办",
    Perm.HOTLINE_HANDLE: "承办热线工单(签收、办理、回复、退单)",
    Perm.HOTLINE_CALLBACK: "热线回访",
    Perm.HOTLINE_MANAGE_KNOWLEDGE: "维护热线知识库",
    Perm.HOTLINE_VIEW_STATISTICS: "查看热线统计与热点",
    Perm.HOTLINE_MANAGE: "热线配置(渠道、时限、分拨模型、Open311 接入)",
}
