-- Group commit for the ledger: applies many postings in one transaction, in the order given per
-- user (users locked in id order, so concurrent batches never deadlock). Each posting runs in its
-- own subtransaction: a duplicate idempotency key undoes only that posting ('dup'), too little
-- balance changes nothing ('miss'). Same statement shape as the single-posting path in lib/ledger.
CREATE OR REPLACE FUNCTION ledger_post_batch(items jsonb)
RETURNS TABLE(o_idx int, o_status text, o_entry_id bigint, o_balance_after bigint, o_created_at timestamptz)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  it jsonb;
  amt bigint;
  nb bigint;
BEGIN
  FOR it IN
    SELECT value FROM jsonb_array_elements(items)
    ORDER BY (value->>'user_id')::int, (value->>'i')::int
  LOOP
    o_idx := (it->>'i')::int;
    amt := (it->>'amount')::bigint;
    o_entry_id := NULL; o_balance_after := NULL; o_created_at := NULL;
    BEGIN
      UPDATE users SET balance_sun = balance_sun + amt, updated_at = now()
        WHERE id = (it->>'user_id')::int AND balance_sun + amt >= 0
        RETURNING balance_sun INTO nb;
      IF NOT FOUND THEN
        o_status := 'miss';
      ELSE
        INSERT INTO ledger_entries (user_id, type, amount_sun, balance_after_sun, reference_type, reference_id,
                                    idempotency_key, fingerprint, usdt_rate_sun, memo, admin_id)
        VALUES ((it->>'user_id')::int, (it->>'type')::ledger_type, amt, nb, it->>'reference_type', it->>'reference_id',
                it->>'key', it->>'fingerprint', (it->>'usdt_rate')::bigint, it->>'memo', (it->>'admin_id')::int)
        RETURNING ledger_entries.id, ledger_entries.created_at INTO o_entry_id, o_created_at;
        o_status := 'ok';
        o_balance_after := nb;
      END IF;
    EXCEPTION WHEN unique_violation THEN
      o_status := 'dup'; o_entry_id := NULL; o_balance_after := NULL; o_created_at := NULL;
    END;
    RETURN NEXT;
  END LOOP;
END $$;
