-- JSON columns of runs and models now carry their format: {"format":1,"value":<the old value>}.
UPDATE `runs` SET `params` = json_object('format', 1, 'value', json(`params`));
--> statement-breakpoint
UPDATE `runs` SET `transform` = json_object('format', 1, 'value', json(`transform`)) WHERE `transform` IS NOT NULL;
--> statement-breakpoint
UPDATE `runs` SET `k_selection` = json_object('format', 1, 'value', json(`k_selection`)) WHERE `k_selection` IS NOT NULL;
--> statement-breakpoint
UPDATE `runs` SET `silhouette_sample` = json_object('format', 1, 'value', json(`silhouette_sample`)) WHERE `silhouette_sample` IS NOT NULL;
--> statement-breakpoint
UPDATE `runs` SET `pca` = json_object('format', 1, 'value', json(`pca`)) WHERE `pca` IS NOT NULL;
--> statement-breakpoint
UPDATE `models` SET `metrics` = json_object('format', 1, 'value', json(`metrics`));
--> statement-breakpoint
UPDATE `models` SET `transform` = json_object('format', 1, 'value', json(`transform`)) WHERE `transform` IS NOT NULL;
--> statement-breakpoint
UPDATE `models` SET `model` = CAST(json_object('format', 1, 'value', json(CAST(`model` AS TEXT))) AS BLOB) WHERE `model_format` = 'json';
