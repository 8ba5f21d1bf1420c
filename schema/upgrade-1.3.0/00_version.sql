
-- 1.3.0: answers, the guard, parallel reliability and installs (see the
-- README's "Upgrading").  Each later file in this folder is one topic's DDL.
