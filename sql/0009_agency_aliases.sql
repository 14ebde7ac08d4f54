-- Other names plans call an agency by ("Huyện Đoàn", "Phòng GD&ĐT huyện"), for the plan drafter.
ALTER TABLE agencies ADD COLUMN aliases text[] NOT NULL DEFAULT '{}'
    CHECK (cardinality(aliases) <= 50 AND array_position(aliases, NULL) IS NULL);
