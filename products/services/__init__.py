"""Writes on the registry: BUMDes, products, certificates, photos, workflow, readiness, history.

Every write checks who may do it (``products.access``), records who changed what, keeps the
stored readiness score up to date, bumps the product's version and announces the change after
commit (``products.events``). By sub-domain:

- ``bumdes``: BUMDes (village-owned enterprises), their photo, workflow, operators, deletion;
- ``products``: products, their workflow, photos, deletion;
- ``certificates``: certificates and permits of a product, and their lapse;
- ``readiness``: the stored readiness score and the rules it is computed from;
- ``review``: who hears of a change; export-ready products sent back to review;
- ``editing``: applying edited fields and recording the history, shared by all of them.

Callers use this package as one module: ``from products import services; services.x(...)``.
"""

from products.access import BUMDES_TRANSITIONS, PRODUCT_TRANSITIONS
from products.services.bumdes import (
    BUMDES_FIELDS,
    DELETABLE_STATUSES,
    create_bumdes,
    delete_bumdes,
    link_operator,
    set_bumdes_photo,
    transition_bumdes,
    update_bumdes,
)
from products.services.certificates import (
    CERTIFICATE_FIELDS,
    DOCUMENT_MAX_BYTES,
    DOCUMENT_TYPES,
    add_certificate,
    delete_certificate,
    handle_lapsed_certificates,
    remind_expiring_certificates,
    update_certificate,
)
from products.services.products import (
    MATERIAL_FIELDS,
    PRODUCT_FIELDS,
    add_photo,
    confirm_suggestions,
    create_product,
    delete_photo,
    delete_product,
    save_specification,
    transition_product,
    update_product,
)
from products.services.readiness import (
    clean_specification,
    delete_readiness_rules,
    delete_specification_templates,
    readiness_recompute_due,
    refresh_all_readiness,
    refresh_readiness,
    rules_in_force_codes,
    save_readiness_rule,
    save_specification_template,
)
from products.services.review import people_concerned, send_back_to_review

__all__ = [
    "clean_specification",
    "delete_specification_templates",
    "readiness_recompute_due",
    "save_specification_template",
    "rules_in_force_codes",
    "save_specification",
    "BUMDES_FIELDS",
    "BUMDES_TRANSITIONS",
    "CERTIFICATE_FIELDS",
    "DELETABLE_STATUSES",
    "DOCUMENT_MAX_BYTES",
    "DOCUMENT_TYPES",
    "MATERIAL_FIELDS",
    "PRODUCT_FIELDS",
    "PRODUCT_TRANSITIONS",
    "add_certificate",
    "add_photo",
    "confirm_suggestions",
    "create_bumdes",
    "create_product",
    "delete_bumdes",
    "delete_certificate",
    "delete_photo",
    "delete_product",
    "delete_readiness_rules",
    "handle_lapsed_certificates",
    "remind_expiring_certificates",
    "link_operator",
    "people_concerned",
    "refresh_all_readiness",
    "refresh_readiness",
    "save_readiness_rule",
    "send_back_to_review",
    "set_bumdes_photo",
    "transition_bumdes",
    "transition_product",
    "update_bumdes",
    "update_certificate",
    "update_product",
]
