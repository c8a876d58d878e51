WITH calendar1 AS (SELECT * FROM VALUES ('2023 T1', DATE '2023-01-09', DATE '2023-03-29'), ('2023 T2', DATE '2023-04-15', DATE '2023-07-05'), ('2023 T3', DATE '2023-09-02', DATE '2023-12-13'), ('2024 T1', DATE '2024-01-09', DATE '2024-03-29'), ('2024 T2', DATE '2024-04-15', DATE '2024-07-05'), ('2024 T3', DATE '2024-09-02', DATE '2024-12-13'), ('2025 T1', DATE '2025-01-09', DATE '2025-03-29'), ('2025 T2', DATE '2025-04-15', DATE '2025-07-05'), ('2025 T3', DATE '2025-09-02', DATE '2025-12-13') AS `calendar1`(`term`, `firstDay`, `lastDay`)),
records AS (
  SELECT p.`beneficiary` AS `beneficiary`,
    p.`activity` AS `activity`,
    p.`date` AS `date`,
    p.`completed` AS `completed`,
    p.`preScore` AS `preScore`,
    p.`postScore` AS `postScore`,
    COALESCE(p.`school`, a.`school`) AS `school`,
    a.`organisation` AS `organisation`,
    s.`province` AS `province`,
    p.`role` AS `role`
  FROM `participations` AS p
  JOIN `activities` AS a ON a.`id` = p.`activity`
  JOIN `phases` AS ph ON ph.`id` = a.`phase`
  LEFT JOIN `schools` AS s ON s.`id` = COALESCE(p.`school`, a.`school`)
),
labelled AS (
  SELECT r.*,
    COALESCE(r.`province`, '') AS term0,
    COALESCE(c1.`term`, 'outsideTerms') AS term1,
    concat(lpad(CAST(year(date_add(r.`date`, 3 - ((dayofweek(r.`date`) + 5) % 7))) AS STRING), 4, '0'), '-W', lpad(CAST(weekofyear(r.`date`) AS STRING), 2, '0')) AS term2,
    concat('FY', lpad(CAST((CASE WHEN month(r.`date`) >= 7 THEN year(r.`date`) ELSE year(r.`date`) - 1 END) AS STRING), 4, '0'), '-', lpad(CAST((((CASE WHEN month(r.`date`) >= 7 THEN year(r.`date`) ELSE year(r.`date`) - 1 END) + 1) % 100) AS STRING), 2, '0')) AS term3,
    concat('FY', lpad(CAST((CASE WHEN month(r.`date`) >= 1 THEN year(r.`date`) ELSE year(r.`date`) - 1 END) AS STRING), 4, '0')) AS term4,
    COALESCE(r.`role`, '') AS term5
  FROM records AS r
  LEFT JOIN calendar1 AS c1 ON r.`date` BETWEEN c1.`firstDay` AND c1.`lastDay`
  WHERE COALESCE(r.`organisation`, '') IN ('org-ngo', '')
    AND COALESCE(r.`role`, '') IN ('teacher', 'parent')
    AND r.`date` BETWEEN DATE '2023-03-01' AND DATE '2024-08-31'
)
SELECT term0 AS `province`,
  term1 AS `schoolTerms`,
  term2 AS `week`,
  term3 AS `fiscalYear:7`,
  term4 AS `fiscalYear:1`,
  term5 AS `role`,
  GROUPING(term0) + GROUPING(term1) + GROUPING(term2) + GROUPING(term3) + GROUPING(term4) + GROUPING(term5) AS `level`,
  COUNT(*) AS `participations`,
  COUNT(DISTINCT `beneficiary`) AS `unique`,
  approx_count_distinct(`beneficiary`, 0.01) AS `approxUnique`,
  COUNT(DISTINCT `activity`) AS `activities`,
  COUNT(DISTINCT `school`) AS `schools`,
  CAST(SUM(CASE WHEN `completed` THEN 1 ELSE 0 END) AS BIGINT) AS `completions`,
  CAST(CAST(SUM(CASE WHEN `completed` THEN 1 ELSE 0 END) AS BIGINT) AS DOUBLE) / NULLIF(COUNT(*), 0) AS `completionRate`,
  CAST(SUM(`preScore`) AS DOUBLE) / NULLIF(COUNT(`preScore`), 0) AS `meanPreScore`,
  CAST(SUM(`postScore`) AS DOUBLE) / NULLIF(COUNT(`postScore`), 0) AS `meanPostScore`,
  CAST(SUM(`postScore` - `preScore`) AS DOUBLE) / NULLIF(COUNT(`postScore` - `preScore`), 0) AS `meanGain`,
  CAST(COUNT(DISTINCT CASE WHEN `postScore` > `preScore` THEN `beneficiary` END) AS DOUBLE) / NULLIF(COUNT(DISTINCT CASE WHEN `preScore` IS NOT NULL AND `postScore` IS NOT NULL THEN `beneficiary` END), 0) AS `improvedShare`
FROM labelled
GROUP BY GROUPING SETS ((term0, term1, term2, term3, term4, term5), (term0, term1, term2, term3, term4), (term0, term1, term2, term3), (term0, term1, term2), (term0, term1), (term0), ())
HAVING COUNT(*) > 0
ORDER BY `level`, term0, term1, term2, term3, term4, term5
