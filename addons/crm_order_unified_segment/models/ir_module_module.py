from odoo import models


class IrModuleModule(models.Model):
    """Japanese (or any language) installed after the addon: the RFM segments
    the addon created get their translated names with the language's terms."""

    _inherit = "ir.module.module"

    # === BUSINESS METHODS === #

    def _load_module_terms(
        self, modules, langs, overwrite=False, imported_module=False
    ):
        res = super()._load_module_terms(
            modules, langs, overwrite=overwrite, imported_module=imported_module
        )
        if "crm_order_unified_segment" in modules and "cou.segment" in self.env:
            self.env["cou.segment"]._translate_rfm_segment_names(
                langs, overwrite=overwrite
            )
        return res
