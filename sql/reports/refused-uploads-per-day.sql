-- title: Refused uploads per day
-- Per UTC day: uploads that moderation refused, by what refused them: an address block (name: its range), a hash
-- list (name: the list), or a ban of the content (name: banned hashes). Counted by each origin and added every
-- janitor tick (a minute by default), so today's figures trail by up to that. from and to are days, both included.
-- param: from date = current_date - 29
-- param: to date = current_date
-- chart: bar x=day y=refused series=name
select day, kind, name, refused
from upload_refusal_day
where day between :'from'::date and :'to'::date
order by day, kind, refused desc, name;
