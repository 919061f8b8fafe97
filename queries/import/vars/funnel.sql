-- the funnel's main path, in order (standup.lifecycle.FUNNEL): ranks for reached_stage.
SET VARIABLE imp_funnel = $v::VARCHAR[];
