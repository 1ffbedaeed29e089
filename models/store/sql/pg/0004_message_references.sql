-- Schema version 4: a span's detail document (span_details.extra, see detailcodec.h) may keep its
-- messages as a reference to the attribute they were read from. No table changes; the version
-- stops older Spanscope versions, which would show such spans without their messages, from
-- opening the workspace. The statement below changes nothing (a script needs one).
UPDATE meta SET fts_pending = fts_pending WHERE id = 1;
