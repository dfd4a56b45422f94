SET lock_timeout = '1s';

-- Both constraints scan orders under a lock that blocks writes; plan/up add them
-- NOT VALID and validate them in a separate transaction.
ALTER TABLE orders
  ADD CONSTRAINT orders_total_cents_nonnegative CHECK (total_cents >= 0);

ALTER TABLE orders ADD COLUMN coupon_id bigint;
ALTER TABLE orders
  ADD CONSTRAINT orders_coupon_id_fkey FOREIGN KEY (coupon_id) REFERENCES coupons (id);
