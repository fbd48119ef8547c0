DROP TABLE day_closures;
DROP TABLE post_days;
DROP TABLE crossing_events;
