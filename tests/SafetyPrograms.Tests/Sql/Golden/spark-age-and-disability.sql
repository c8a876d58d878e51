WITH persons AS (
  SELECT `beneficiary`, CASE MIN(CASE WHEN summary > 0 THEN datediff(`date`, DATE '1970-01-01') * 16 + summary END) % 16 WHEN 0 THEN 'notRecorded' WHEN 1 THEN 'notRecorded' WHEN 2 THEN 'notRecorded' WHEN 3 THEN 'notRecorded' WHEN 4 THEN 'notRecorded' WHEN 5 THEN 'notRecorded' WHEN 6 THEN 'notRecorded' WHEN 7 THEN 'notRecorded' WHEN 8 THEN 'noDisability' WHEN 9 THEN 'disability' WHEN 10 THEN 'disability' WHEN 11 THEN 'disability' WHEN 12 THEN 'notRecorded' WHEN 13 THEN 'disability' WHEN 14 THEN 'disability' WHEN 15 THEN 'disability' END AS `status`
  FROM (SELECT `beneficiary`, `date`, CASE WHEN NOT (a0 IS NOT NULL OR a1 IS NOT NULL OR a2 IS NOT NULL OR a3 IS NOT NULL OR a4 IS NOT NULL OR a5 IS NOT NULL OR a6 IS NOT NULL OR a7 IS NOT NULL OR a8 IS NOT NULL OR a9 IS NOT NULL OR a10 IS NOT NULL OR a11 IS NOT NULL) THEN 0 ELSE GREATEST(CASE WHEN a0 <= 3 THEN a0 ELSE 0 END, CASE WHEN a1 <= 3 THEN a1 ELSE 0 END, CASE WHEN a2 <= 3 THEN a2 ELSE 0 END, CASE WHEN a3 <= 3 THEN a3 ELSE 0 END, CASE WHEN a4 <= 3 THEN a4 ELSE 0 END, CASE WHEN a5 <= 3 THEN a5 ELSE 0 END, CASE WHEN a6 <= 3 THEN a6 ELSE 0 END, CASE WHEN a7 <= 3 THEN a7 ELSE 0 END, CASE WHEN a8 <= 3 THEN a8 ELSE 0 END, CASE WHEN a9 <= 3 THEN a9 ELSE 0 END, CASE WHEN a10 <= 3 THEN a10 ELSE 0 END, CASE WHEN a11 <= 3 THEN a11 ELSE 0 END) + (CASE WHEN (CASE WHEN a6 IS NOT NULL OR a7 IS NOT NULL OR a8 IS NOT NULL OR a9 IS NOT NULL OR a10 IS NOT NULL OR a11 IS NOT NULL THEN (a0 IS NULL OR a0 > 3 OR a1 IS NULL OR a1 > 3 OR a2 IS NULL OR a2 > 3 OR a4 IS NULL OR a4 > 3 OR a5 IS NULL OR a5 > 3 OR a6 IS NULL OR a6 > 3 OR a7 IS NULL OR a7 > 3 OR a8 IS NULL OR a8 > 3 OR a9 IS NULL OR a9 > 3 OR a10 IS NULL OR a10 > 3 OR a11 IS NULL OR a11 > 3) ELSE (a0 IS NULL OR a0 > 3 OR a1 IS NULL OR a1 > 3 OR a2 IS NULL OR a2 > 3 OR a3 IS NULL OR a3 > 3 OR a4 IS NULL OR a4 > 3 OR a5 IS NULL OR a5 > 3) END) THEN 4 ELSE 0 END) + 8 END AS summary
    FROM (SELECT `beneficiary`, `date`, CASE `seeing` WHEN 'noDifficulty' THEN 0 WHEN 'someDifficulty' THEN 1 WHEN 'aLotOfDifficulty' THEN 2 WHEN 'cannotDoAtAll' THEN 3 WHEN 'refused' THEN 4 WHEN 'dontKnow' THEN 5 END AS a0, CASE `hearing` WHEN 'noDifficulty' THEN 0 WHEN 'someDifficulty' THEN 1 WHEN 'aLotOfDifficulty' THEN 2 WHEN 'cannotDoAtAll' THEN 3 WHEN 'refused' THEN 4 WHEN 'dontKnow' THEN 5 END AS a1, CASE `walking` WHEN 'noDifficulty' THEN 0 WHEN 'someDifficulty' THEN 1 WHEN 'aLotOfDifficulty' THEN 2 WHEN 'cannotDoAtAll' THEN 3 WHEN 'refused' THEN 4 WHEN 'dontKnow' THEN 5 END AS a2, CASE `cognition` WHEN 'noDifficulty' THEN 0 WHEN 'someDifficulty' THEN 1 WHEN 'aLotOfDifficulty' THEN 2 WHEN 'cannotDoAtAll' THEN 3 WHEN 'refused' THEN 4 WHEN 'dontKnow' THEN 5 END AS a3, CASE `selfCare` WHEN 'noDifficulty' THEN 0 WHEN 'someDifficulty' THEN 1 WHEN 'aLotOfDifficulty' THEN 2 WHEN 'cannotDoAtAll' THEN 3 WHEN 'refused' THEN 4 WHEN 'dontKnow' THEN 5 END AS a4, CASE `communication` WHEN 'noDifficulty' THEN 0 WHEN 'someDifficulty' THEN 1 WHEN 'aLotOfDifficulty' THEN 2 WHEN 'cannotDoAtAll' THEN 3 WHEN 'refused' THEN 4 WHEN 'dontKnow' THEN 5 END AS a5, CASE `learning` WHEN 'noDifficulty' THEN 0 WHEN 'someDifficulty' THEN 1 WHEN 'aLotOfDifficulty' THEN 2 WHEN 'cannotDoAtAll' THEN 3 WHEN 'refused' THEN 4 WHEN 'dontKnow' THEN 5 END AS a6, CASE `remembering` WHEN 'noDifficulty' THEN 0 WHEN 'someDifficulty' THEN 1 WHEN 'aLotOfDifficulty' THEN 2 WHEN 'cannotDoAtAll' THEN 3 WHEN 'refused' THEN 4 WHEN 'dontKnow' THEN 5 END AS a7, CASE `concentrating` WHEN 'noDifficulty' THEN 0 WHEN 'someDifficulty' THEN 1 WHEN 'aLotOfDifficulty' THEN 2 WHEN 'cannotDoAtAll' THEN 3 WHEN 'refused' THEN 4 WHEN 'dontKnow' THEN 5 END AS a8, CASE `acceptingChange` WHEN 'noDifficulty' THEN 0 WHEN 'someDifficulty' THEN 1 WHEN 'aLotOfDifficulty' THEN 2 WHEN 'cannotDoAtAll' THEN 3 WHEN 'refused' THEN 4 WHEN 'dontKnow' THEN 5 END AS a9, CASE `controllingBehaviour` WHEN 'noDifficulty' THEN 0 WHEN 'someDifficulty' THEN 1 WHEN 'aLotOfDifficulty' THEN 2 WHEN 'cannotDoAtAll' THEN 3 WHEN 'refused' THEN 4 WHEN 'dontKnow' THEN 5 END AS a10, CASE `makingFriends` WHEN 'noDifficulty' THEN 0 WHEN 'someDifficulty' THEN 1 WHEN 'aLotOfDifficulty' THEN 2 WHEN 'cannotDoAtAll' THEN 3 WHEN 'refused' THEN 4 WHEN 'dontKnow' THEN 5 END AS a11 FROM `participations`) AS x) AS y
  GROUP BY `beneficiary`
),
records AS (
  SELECT p.`beneficiary` AS `beneficiary`,
    p.`activity` AS `activity`,
    p.`date` AS `date`,
    p.`completed` AS `completed`,
    p.`preScore` AS `preScore`,
    p.`postScore` AS `postScore`,
    COALESCE(p.`school`, a.`school`) AS `school`,
    CASE WHEN p.`age` IS NOT NULL THEN (CASE WHEN p.`age` <= 4 THEN '0-4' WHEN p.`age` <= 9 THEN '5-9' WHEN p.`age` <= 14 THEN '10-14' WHEN p.`age` <= 17 THEN '15-17' WHEN p.`age` <= 24 THEN '18-24' WHEN p.`age` <= 49 THEN '25-49' ELSE '50+' END) WHEN p.`yearOfBirth` IS NOT NULL THEN (CASE WHEN (year(p.`date`) - p.`yearOfBirth`) <= 4 THEN '0-4' WHEN (year(p.`date`) - p.`yearOfBirth`) <= 9 THEN '5-9' WHEN (year(p.`date`) - p.`yearOfBirth`) <= 14 THEN '10-14' WHEN (year(p.`date`) - p.`yearOfBirth`) <= 17 THEN '15-17' WHEN (year(p.`date`) - p.`yearOfBirth`) <= 24 THEN '18-24' WHEN (year(p.`date`) - p.`yearOfBirth`) <= 49 THEN '25-49' ELSE '50+' END) ELSE (CASE p.`ageBand` WHEN '5-9' THEN '5-9' WHEN '10-14' THEN '10-14' WHEN '15-17' THEN '15-17' WHEN '18-24' THEN '18-24' WHEN '25-49' THEN '25-49' WHEN '50+' THEN '50+' WHEN 'notRecorded' THEN 'notRecorded' WHEN '0-4' THEN '0-4' WHEN '18+' THEN '18+' END) END AS `ageBand`,
    CASE WHEN p.`age` IS NOT NULL THEN (CASE WHEN p.`age` <= 4 THEN '0-4' WHEN p.`age` <= 9 THEN '5-9' WHEN p.`age` <= 14 THEN '10-14' WHEN p.`age` <= 17 THEN '15-17' WHEN p.`age` <= 24 THEN '18-24' WHEN p.`age` <= 49 THEN '25-49' ELSE '50+' END) WHEN p.`yearOfBirth` IS NOT NULL THEN (CASE WHEN (year(p.`date`) - p.`yearOfBirth`) <= 4 THEN '0-4' WHEN (year(p.`date`) - p.`yearOfBirth`) <= 5 THEN 'notComparable' WHEN (year(p.`date`) - p.`yearOfBirth`) <= 9 THEN '5-9' WHEN (year(p.`date`) - p.`yearOfBirth`) <= 10 THEN 'notComparable' WHEN (year(p.`date`) - p.`yearOfBirth`) <= 14 THEN '10-14' WHEN (year(p.`date`) - p.`yearOfBirth`) <= 15 THEN 'notComparable' WHEN (year(p.`date`) - p.`yearOfBirth`) <= 17 THEN '15-17' WHEN (year(p.`date`) - p.`yearOfBirth`) <= 18 THEN 'notComparable' WHEN (year(p.`date`) - p.`yearOfBirth`) <= 24 THEN '18-24' WHEN (year(p.`date`) - p.`yearOfBirth`) <= 25 THEN 'notComparable' WHEN (year(p.`date`) - p.`yearOfBirth`) <= 49 THEN '25-49' WHEN (year(p.`date`) - p.`yearOfBirth`) <= 50 THEN 'notComparable' ELSE '50+' END) ELSE (CASE p.`ageBand` WHEN '5-9' THEN '5-9' WHEN '10-14' THEN '10-14' WHEN '15-17' THEN '15-17' WHEN '18-24' THEN '18-24' WHEN '25-49' THEN '25-49' WHEN '50+' THEN '50+' WHEN 'notRecorded' THEN 'notRecorded' WHEN '0-4' THEN '0-4' WHEN '18+' THEN 'notComparable' END) END AS `age`,
    COALESCE(pe.`status`, 'notRecorded') AS `disability`
  FROM `participations` AS p
  JOIN `activities` AS a ON a.`id` = p.`activity`
  JOIN `phases` AS ph ON ph.`id` = a.`phase`
  LEFT JOIN `schools` AS s ON s.`id` = COALESCE(p.`school`, a.`school`)
  LEFT JOIN persons AS pe ON pe.`beneficiary` = p.`beneficiary`
),
labelled AS (
  SELECT r.*,
    COALESCE(r.`age`, '') AS term0,
    COALESCE(r.`disability`, '') AS term1,
    COALESCE(r.`ageBand`, '') AS term2
  FROM records AS r
  WHERE COALESCE(r.`age`, '') IN ('5-9', '10-14', 'notComparable')
)
SELECT term0 AS `age`,
  term1 AS `disability`,
  term2 AS `ageBand`,
  GROUPING(term0) + GROUPING(term1) + GROUPING(term2) AS `level`,
  COUNT(DISTINCT `beneficiary`) AS `unique`
FROM labelled
GROUP BY GROUPING SETS ((term0, term1, term2), (term0, term1), (term0), ())
HAVING COUNT(*) > 0
ORDER BY `level`, term0, term1, term2
