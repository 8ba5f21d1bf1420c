
-- 1.3.0: answers, the guard, parallel reliability and installs (see
-- docs/upgrading.md).  Each later file in this folder is one topic's DDL.
