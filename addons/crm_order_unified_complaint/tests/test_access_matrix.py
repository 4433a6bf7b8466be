"""Access matrix of the complaint addon (see the core's ``access_matrix.py``)."""

from odoo import Command
from odoo.tests import tagged

from odoo.addons.crm_order_unified.tests.access_matrix import (
    MARK_B,
    AccessMatrixCase,
    method,
    rights,
    roles,
)

#: complaint users: the complaint user is a member of company A's team
CPL = roles("complaint_user", "complaint_manager")
MANAGER = roles("complaint_manager")
#: who reads the complaint of company A (its customer on the portal too)
COMPLAINT_READERS = CPL | roles("portal")


def _args_partner(case, rec):
    return [case.customer_company.ids]


@tagged("post_install", "-at_install")
class TestAccessMatrixComplaint(AccessMatrixCase):
    MODULE = "crm_order_unified_complaint"

    MODELS = {
        "cou.complaint": rights(r=COMPLAINT_READERS, w=CPL, c=CPL, d=MANAGER),
        "cou.complaint.team": rights(r=CPL, w=MANAGER, c=MANAGER, d=MANAGER),
        "cou.complaint.sla": rights(r=CPL, w=MANAGER, c=MANAGER, d=MANAGER),
        # stages and categories are shown on the portal page of a complaint
        "cou.complaint.stage": rights(
            r=CPL | roles("portal", "portal_other"), w=MANAGER, c=MANAGER, d=MANAGER
        ),
        "cou.complaint.category": rights(
            r=CPL | roles("portal", "portal_other"), w=MANAGER, c=MANAGER, d=MANAGER
        ),
        "cou.complaint.tag": rights(r=CPL, w=CPL, c=CPL, d=MANAGER),
        "cou.complaint.report": rights(r=MANAGER),
        "cou.complaint.document.mixin": None,
    }

    METHODS = {
        # the complaint's buttons: for who reads the complaint, as staff
        ("cou.complaint", "action_create_return"): method(roles()),
        ("cou.complaint", "action_create_credit_note"): method(roles()),
        # (actions: ids and domains; the lists they open apply their rules)
        ("cou.complaint", "action_view_sale_order"): method(COMPLAINT_READERS),
        ("cou.complaint", "action_view_picking"): method(COMPLAINT_READERS),
        ("cou.complaint", "action_view_invoice"): method(COMPLAINT_READERS),
        ("cou.complaint", "action_view_returns"): method(COMPLAINT_READERS),
        ("cou.complaint", "action_view_credit_notes"): method(COMPLAINT_READERS),
        ("cou.complaint", "action_open_ratings"): method(COMPLAINT_READERS),
        ("cou.complaint", "action_close"): method(CPL),
        # mail gateway entry points: as the caller, with the caller's rights
        ("cou.complaint", "message_new"): method(
            CPL,
            args=lambda case, rec: [
                {
                    "subject": "Broken",
                    "email_from": case.customer_contact.email,
                    "body": "x",
                },
                {"team_id": case.mx_team_a.id},
            ],
        ),
        ("cou.complaint", "message_update"): method(
            CPL, args=lambda case, rec: [rec.ids, {"body": "more"}]
        ),
        # the team's counters (dashboard cards): complaint staff of the team
        **{
            ("cou.complaint.team", name): method(CPL)
            for name in (
                "action_view_complaints",
                "action_view_open_complaints",
                "action_view_overdue_complaints",
                "action_view_breached_complaints",
                "action_view_first_responses",
                "action_view_resolutions",
                "action_view_satisfaction",
                "action_view_ratings",
            )
        },
        # the documents' smart buttons: who reads the document and complaints
        # (of the single-group roles, the customer on the portal only: the
        # complaint roles may not read the order of company A)
        ("cou.complaint.document.mixin", "action_cou_view_complaints"): method(
            roles("portal"), on="sale.order"
        ),
        ("cou.complaint.document.mixin", "action_cou_file_complaint"): method(
            roles(), on="sale.order"
        ),
        ("product.product", "action_cou_view_complaints"): method(
            CPL, args=lambda case, rec: [case.product_order.ids]
        ),
        ("product.template", "action_cou_view_complaints"): method(
            CPL, args=lambda case, rec: [case.product_order.product_tmpl_id.ids]
        ),
        ("res.partner", "action_cou_view_complaint_ratings"): method(
            COMPLAINT_READERS, args=_args_partner
        ),
        ("res.partner", "action_cou_view_complaints"): method(
            COMPLAINT_READERS, args=_args_partner
        ),
        ("res.partner", "action_cou_file_complaint"): method(CPL, args=_args_partner),
    }

    OVERRIDES = {
        ("cou.complaint", "create"): "CRUD",
        ("cou.complaint", "write"): "CRUD",
        ("cou.complaint", "unlink"): "CRUD",
        ("cou.complaint", "read_progress_bar"): "web's, read_group with the rules",
        ("cou.complaint.team", "create"): "CRUD",
        ("cou.complaint.team", "write"): "CRUD",
        ("account.move.reversal", "reverse_moves"): "account's own rights",
    }

    @classmethod
    def _matrix_setup(cls):
        Team = cls.env["cou.complaint.team"]
        complaint_user = cls.matrix_users["complaint_user"]
        cls.customer_contact.email = "alice.mx@example.com"
        marks = (("COU MX", cls.company_a), (MARK_B, cls.company_b))
        # the complaints' teams (the complaint user is a member), and teams
        # without complaints (that may be deleted)
        cls.mx_team_a, cls.mx_team_b = (
            Team.create(
                {
                    "name": f"{mark} Team",
                    "company_id": company.id,
                    "member_ids": [Command.link(complaint_user.id)],
                }
            )
            for mark, company in marks
        )
        teams = {cls.company_a: cls.mx_team_a, cls.company_b: cls.mx_team_b}
        cls.matrix_records["cou.complaint.team"] = tuple(
            Team.create(
                {
                    "name": f"{mark} empty team",
                    "company_id": company.id,
                    "member_ids": [Command.link(complaint_user.id)],
                }
            )
            for mark, company in marks
        )
        cls.matrix_vals["cou.complaint.team"] = lambda company: {
            "name": "New team",
            "company_id": company.id,
        }
        cls.matrix_write["cou.complaint.team"] = {"sequence": 5}

        SLA = cls.env["cou.complaint.sla"]
        cls.matrix_vals["cou.complaint.sla"] = lambda company: {
            "name": "SLA",
            "team_id": teams[company].id,
            "first_response_hours": 4,
            "resolution_hours": 16,
        }
        cls.matrix_records["cou.complaint.sla"] = tuple(
            SLA.create(cls.matrix_vals["cou.complaint.sla"](company))
            for company in (cls.company_a, cls.company_b)
        )
        cls.matrix_write["cou.complaint.sla"] = {"resolution_hours": 20}

        Complaint = cls.env["cou.complaint"]
        orders = {cls.company_a: cls.mx_order_a, cls.company_b: cls.mx_order_b}
        cls.matrix_vals["cou.complaint"] = lambda company: {
            "name": "Broken on arrival",
            "partner_id": cls.customer_contact.id,
            "company_id": company.id,
            "team_id": teams[company].id,
        }
        cls.matrix_records["cou.complaint"] = tuple(
            Complaint.create(
                {
                    **cls.matrix_vals["cou.complaint"](company),
                    "name": f"{mark} complaint",
                    "sale_order_id": orders[company].id,
                }
            )
            for mark, company in marks
        )
        cls.matrix_write["cou.complaint"] = {"priority": "2"}

        Category = cls.env["cou.complaint.category"]
        cls.matrix_vals["cou.complaint.category"] = lambda company: {
            "name": "New category",
            "company_id": company.id,
        }
        cls.matrix_records["cou.complaint.category"] = tuple(
            Category.create({"name": f"{mark} category", "company_id": company.id})
            for mark, company in marks
        )
        cls.matrix_write["cou.complaint.category"] = {"sequence": 3}

        # shared by the companies: no company-B record
        stage = cls.env["cou.complaint.stage"].create({"name": "Matrix stage"})
        cls.matrix_records["cou.complaint.stage"] = (stage, stage.browse())
        cls.matrix_vals["cou.complaint.stage"] = lambda company: {"name": "Stage"}
        cls.matrix_write["cou.complaint.stage"] = {"sequence": 4}
        tag = cls.env["cou.complaint.tag"].create({"name": "Matrix tag"})
        cls.matrix_records["cou.complaint.tag"] = (tag, tag.browse())
        cls.matrix_vals["cou.complaint.tag"] = lambda company: {"name": "Tag"}
        cls.matrix_write["cou.complaint.tag"] = {"color": 3}

        cls.env.flush_all()
        Report = cls.env["cou.complaint.report"]
        cls.matrix_records["cou.complaint.report"] = tuple(
            Report.search([("complaint_id", "=", complaint.id)], limit=1)
            for complaint in cls.matrix_records["cou.complaint"]
        )
