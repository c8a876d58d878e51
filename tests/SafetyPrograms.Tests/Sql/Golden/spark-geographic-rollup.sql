WITH records AS (
  SELECT p.`beneficiary` AS `beneficiary`,
    p.`activity` AS `activity`,
    p.`date` AS `date`,
    p.`completed` AS `completed`,
    p.`preScore` AS `preScore`,
    p.`postScore` AS `postScore`,
    COALESCE(p.`school`, a.`school`) AS `school`,
    s.`country` AS `country`,
    s.`province` AS `province`,
    s.`district` AS `district`
  FROM `participations` AS p
  JOIN `activities` AS a ON a.`id` = p.`activity`
  JOIN `phases` AS ph ON ph.`id` = a.`phase`
  LEFT JOIN `schools` AS s ON s.`id` = COALESCE(p.`school`, a.`school`)
),
labelled AS (
  SELECT r.*,
    COALESCE(r.`country`, '') AS term0,
    COALESCE(r.`province`, '') AS term1,
    COALESCE(r.`district`, '') AS term2,
    COALESCE(r.`school`, '') AS term3
  FROM records AS r
)
SELECT term0 AS `country`,
  term1 AS `province`,
  term2 AS `district`,
  term3 AS `school`,
  GROUPING(term0) + GROUPING(term1) + GROUPING(term2) + GROUPING(term3) AS `level`,
  COUNT(DISTINCT `beneficiary`) AS `unique`,
  approx_count_distinct(`beneficiary`, 0.01) AS `approxUnique`
FROM labelled
GROUP BY GROUPING SETS ((term0, term1, term2, term3), (term0, term1, term2), (term0, term1), (term0), ())
HAVING COUNT(*) > 0
ORDER BY `level`, term0, term1, term2, term3
