from . import cou_job_chunk
