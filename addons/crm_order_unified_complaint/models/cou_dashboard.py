from odoo import api, models


class CouDashboard(models.AbstractModel):
    """Complaints on the Customer Hub dashboard: open complaints, SLA
    breaches, open complaints by category and by stage."""

    _inherit = "cou.dashboard"

    @api.model
    def _cou_dashboard_sections(self, companies):
        sections = super()._cou_dashboard_sections(companies)
        if self.env["cou.complaint"].has_access("read"):
            sections.append(self._cou_complaint_section(companies))
        return sections

    @api.model
    def _cou_complaint_section(self, companies):
        """Three grouped reads of the open complaints of ``companies`` (record
        rules apply): by stage, by category, the SLA breaches."""
        _ = self.env._
        Complaint = self.env["cou.complaint"]
        xmlid = "crm_order_unified_complaint.cou_complaint_action"
        open_domain = [("company_id", "in", companies.ids), ("is_closed", "=", False)]
        breached_domain = [*open_domain, ("sla_breached", "=", True)]
        by_stage = Complaint._read_group(open_domain, ["stage_id"], ["__count"])
        by_category = Complaint._read_group(open_domain, ["category_id"], ["__count"])
        [(breached_count,)] = Complaint._read_group(breached_domain, [], ["__count"])
        open_count = sum(count for _stage, count in by_stage)
        views = ["list", "kanban", "form"]

        def chart(key, title, groups, field, tooltip):
            labels, data, actions = [], [], []
            for record, count in groups:
                label = record.display_name or _("None")
                labels.append(label)
                data.append(count)
                actions.append(
                    self._cou_action(
                        xmlid,
                        _("Open Complaints: %(group)s", group=label),
                        [*open_domain, (field, "=", record.id or False)],
                        views,
                    )
                )
            return {
                "key": key,
                "title": title,
                "type": "bar",
                "format": "integer",
                "labels": labels,
                "datasets": [
                    {"label": _("Open Complaints"), "data": data, "actions": actions}
                ],
                "tooltip": tooltip,
                "empty": "" if data else _("No open complaint."),
            }

        return {
            "key": "complaints",
            "title": _("Complaints"),
            "sequence": 30,
            "cards": [
                {
                    "key": "complaints_open",
                    "label": _("Open Complaints"),
                    "value": open_count,
                    "format": "integer",
                    "tooltip": _(
                        "Complaints of the selected companies in a stage that is "
                        "not closed."
                    ),
                    "action": self._cou_action(
                        xmlid, _("Open Complaints"), open_domain, views
                    ),
                },
                {
                    "key": "complaints_sla_breached",
                    "label": _("SLA Breaches"),
                    "value": breached_count,
                    "format": "integer",
                    "tooltip": _(
                        "Open complaints whose first-response or resolution "
                        "deadline has passed."
                    ),
                    "action": self._cou_action(
                        xmlid, _("SLA Breaches"), breached_domain, views
                    ),
                },
            ],
            "charts": [
                chart(
                    "complaints_by_category",
                    _("Open Complaints by Category"),
                    sorted(by_category, key=lambda group: -group[1]),
                    "category_id",
                    _("Open complaints of the selected companies by category."),
                ),
                chart(
                    "complaints_by_stage",
                    _("Open Complaints by Stage"),
                    by_stage,
                    "stage_id",
                    _("Open complaints of the selected companies by stage."),
                ),
            ],
        }
