-- A month of a busy journal, generated in SQL (bench/report_bench.sh): files of 50 records from
-- three sources, batches of up to 1,000 updates to one destination, a few quarantined files,
-- failed batches and receiver rejections. Run with the sqlite3 shell on a journal that liitos
-- created (schema current, no events) after `.parameter set` of @events, @days and @start (Unix
-- seconds). prev_hash and hash are left as placeholders: the bench recomputes the chain honestly
-- afterwards (journal/event_hash.h).
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -262144;

CREATE TEMP TABLE p AS SELECT CAST(@events / 52.6 AS INTEGER) AS files, @days * 86400.0 AS span, @start AS start;

-- files: one every span/files seconds; every 100th is quarantined.
CREATE TEMP TABLE gf AS
SELECT value AS i,
       (SELECT start FROM p) + value * (SELECT span / files FROM p) AS t,
       CASE value % 3 WHEN 0 THEN 'rakval' WHEN 1 THEN 'ymparisto' ELSE 'kaupunki' END AS source,
       'tilat_' || value || '.csv' AS name,
       lower(hex(randomblob(32))) AS sha,
       value % 100 = 7 AS quarantined
FROM generate_series(0, (SELECT files - 1 FROM p));

CREATE INDEX temp.gf_i ON gf(i);

-- accepted records, numbered in time order, each in batch (n - 1) / 1000.
CREATE TEMP TABLE ga AS
SELECT row_number() OVER (ORDER BY gf.i, r.value) AS n, gf.i AS file_i, r.value AS record, gf.t + 1 + r.value * 0.001 AS t
FROM gf, generate_series(1, 50) r
WHERE NOT gf.quarantined AND r.value NOT IN (17, 40);
CREATE TEMP TABLE gb AS
SELECT (n - 1) / 1000 AS k, max(t) + 60 AS t, count(*) AS items, sum(n % 2000 = 5) AS rejected,
       printf('%08x-0000-4000-8000-%012x', (n - 1) / 1000, (n - 1) / 1000) AS batch_id,
       ((n - 1) / 1000) % 200 = 13 AS failed
FROM ga GROUP BY 1;

CREATE INDEX temp.gb_k ON gb(k);
-- n and file_i: an accepted record's number and file (for its outbox row).
CREATE TEMP TABLE g(t REAL, ord INTEGER, kind TEXT, source TEXT, file TEXT, sha TEXT, record INTEGER,
                    message_id TEXT, batch_id TEXT, destination TEXT, lv_case_id TEXT, detail TEXT,
                    n INTEGER, file_i INTEGER);
INSERT INTO g(t, ord, kind, source, file, sha, record, message_id, batch_id, destination, lv_case_id, detail) SELECT t, 0, 'FILE_RECEIVED', source, name, sha, NULL, NULL, NULL, NULL, NULL,
                     '{"size":' || (4000 + i % 900) || ',"spool":"/var/lib/liitos/spool/' || i || '"}' FROM gf;
INSERT INTO g(t, ord, kind, source, file, sha, record, message_id, batch_id, destination, lv_case_id, detail) SELECT t + 0.5, 1, 'FILE_QUARANTINED', source, name, sha, NULL, NULL, NULL, NULL, NULL,
                     '{"reason":"line 1: the header has no column ''Tilakoodi''"}' FROM gf WHERE quarantined;
INSERT INTO g(t, ord, kind, source, file, sha, record, message_id, batch_id, destination, lv_case_id, detail) SELECT gf.t + 1 + r.value * 0.001, 1 + r.value,
                     CASE r.value WHEN 17 THEN 'RECORD_DUPLICATE' ELSE 'RECORD_REJECTED' END,
                     gf.source, gf.name, gf.sha, r.value, NULL, NULL, NULL, printf('LV-2026-%06d', gf.i % 900000),
                     CASE r.value WHEN 17 THEN '{}' ELSE
                       '{"field":"status","reason":"record 40: unknown status ''99''"}' END
FROM gf, (SELECT 17 AS value UNION ALL SELECT 40) r WHERE NOT gf.quarantined;
INSERT INTO g SELECT ga.t, 1 + ga.record, 'RECORD_ACCEPTED', gf.source, gf.name, gf.sha, ga.record,
                     printf('%08x-%04x-5000-8000-%012x', ga.n, ga.record, ga.file_i), NULL, 'lv',
                     printf('LV-2026-%06d', (ga.file_i * 50 + ga.record) % 900000), '{}', ga.n, ga.file_i
FROM ga JOIN gf ON gf.i = ga.file_i;
INSERT INTO g(t, ord, kind, source, file, sha, record, message_id, batch_id, destination, lv_case_id, detail) SELECT t + 2, 60, 'RECEIPT_WRITTEN', source, name, sha, NULL, NULL, NULL, NULL, NULL,
                     '{"kind":"intake","receipt":"' || name || '.receipt.csv"}' FROM gf;
INSERT INTO g(t, ord, kind, source, file, sha, record, message_id, batch_id, destination, lv_case_id, detail) SELECT t + 3, 61, 'RECEIPT_WRITTEN', source, name, sha, NULL, NULL, NULL, NULL, NULL,
                     '{"kind":"delivery","receipt":"' || name || '.delivery.csv"}' FROM gf WHERE NOT quarantined;
INSERT INTO g(t, ord, kind, source, file, sha, record, message_id, batch_id, destination, lv_case_id, detail) SELECT t, 0, 'BATCH_CREATED', NULL, NULL, NULL, NULL, NULL, batch_id, 'lv', NULL,
                     '{"items":' || items || '}' FROM gb;
INSERT INTO g(t, ord, kind, source, file, sha, record, message_id, batch_id, destination, lv_case_id, detail) SELECT t + 1, 1, 'BATCH_ATTEMPT', NULL, NULL, NULL, NULL, NULL, batch_id, 'lv', NULL,
                     CASE WHEN failed THEN '{"error":"HTTP 503 from the security server","http_status":503}'
                     ELSE '{"http_status":200}' END FROM gb;
INSERT INTO g(t, ord, kind, source, file, sha, record, message_id, batch_id, destination, lv_case_id, detail) SELECT gb.t + 2, 2, 'ITEM_REJECTED_BY_RECEIVER', NULL, NULL, NULL, NULL,
                     printf('%08x-%04x-5000-8000-%012x', ga.n, ga.record, ga.file_i), gb.batch_id, 'lv',
                     printf('LV-2026-%06d', (ga.file_i * 50 + ga.record) % 900000),
                     '{"code":"UNKNOWN_CASE","message":"no such case"}'
FROM ga JOIN gb ON gb.k = (ga.n - 1) / 1000 WHERE NOT gb.failed AND ga.n % 2000 = 5;
INSERT INTO g(t, ord, kind, source, file, sha, record, message_id, batch_id, destination, lv_case_id, detail) SELECT t + 3, 3, CASE WHEN failed THEN 'BATCH_FAILED' ELSE 'BATCH_DELIVERED' END, NULL, NULL, NULL,
                     NULL, NULL, batch_id, 'lv', NULL,
                     CASE WHEN failed THEN '{"attempts":1,"reason":"HTTP 400: the batch was refused"}'
                     ELSE '{"delivered":' || (items - rejected) || ',"rejected":' || rejected || '}' END
FROM gb;

CREATE TEMP TABLE gs AS SELECT row_number() OVER (ORDER BY t, ord) AS seq, * FROM g;
DROP TABLE g;
INSERT INTO events(seq, time, kind, source, file, file_sha256, record, message_id, batch_id, destination, lv_case_id,
                   detail, prev_hash, hash)
SELECT seq, strftime('%Y-%m-%dT%H:%M:%fZ', t, 'unixepoch'), kind, source, file, sha, record, message_id, batch_id,
       destination, lv_case_id, detail, '', ''
FROM gs ORDER BY seq;

INSERT INTO files(id, source, name, sha256, size, spool_path, received_at, state, intake_receipt, delivery_receipt)
SELECT i + 1, source, name, sha, 4000 + i % 900, '', strftime('%Y-%m-%dT%H:%M:%fZ', t, 'unixepoch'),
       CASE WHEN quarantined THEN 'quarantined' ELSE 'done' END, 1, NOT quarantined FROM gf;
INSERT INTO batches(batch_id, destination, state, attempts, created_at, final_at)
SELECT batch_id, 'lv', CASE WHEN failed THEN 'failed' ELSE 'delivered' END, 1,
       strftime('%Y-%m-%dT%H:%M:%fZ', t, 'unixepoch'), strftime('%Y-%m-%dT%H:%M:%fZ', t + 3, 'unixepoch') FROM gb;
-- The updates of the last three hours are still pending, as in a running service.
INSERT INTO outbox(message_id, file_id, record, lv_case_id, destination, payload, state, batch_id, created_at,
                   final_at, event_seq)
SELECT gs.message_id, gs.file_i + 1, gs.record, gs.lv_case_id, 'lv', NULL,
       CASE WHEN gs.t > (SELECT start + span - 10800 FROM p) THEN 'pending'
            WHEN gb.failed THEN 'failed' WHEN gs.n % 2000 = 5 THEN 'rejected' ELSE 'delivered' END,
       CASE WHEN gs.t > (SELECT start + span - 10800 FROM p) THEN NULL ELSE gb.batch_id END,
       strftime('%Y-%m-%dT%H:%M:%fZ', gs.t, 'unixepoch'),
       CASE WHEN gs.t > (SELECT start + span - 10800 FROM p) THEN NULL
            ELSE strftime('%Y-%m-%dT%H:%M:%fZ', gb.t + 3, 'unixepoch') END,
       gs.seq
FROM gs JOIN gb ON gb.k = (gs.n - 1) / 1000
WHERE gs.kind = 'RECORD_ACCEPTED'
ORDER BY gs.seq;
