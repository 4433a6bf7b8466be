{
    "name": "Customer Hub: Job Queue",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "summary": "Run the chunks of the Customer Hub's heavy jobs (segments, "
    "Customer 360 figures, forecasts, suggestions) as queue jobs on their own "
    "channel instead of in the cron workers",
    "author": "crm_order_unified developers",
    "website": "https://github.com/crm-order-unified/crm_order_unified",
    "license": "LGPL-3",
    "depends": ["crm_order_unified", "queue_job"],
    "data": [
        "data/queue_job_data.xml",
        "views/cou_job_chunk_views.xml",
    ],
    "installable": True,
}
