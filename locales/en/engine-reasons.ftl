# The reasons the engine writes into the journal (event::EngineReason), as
# the terminal shows them; in English, the journal's own words.
engine-reason-aborted = the drill was aborted
engine-reason-aborted-before-decision = the drill was aborted before a decision
engine-reason-aborted-while-running = the drill was aborted while it ran
engine-reason-aborted-unrecorded = the drill was aborted; reprise stopped before this step's end was recorded
engine-reason-done-before-interruption = done on every host before the interruption
engine-reason-only-in-drill = runs only in drill mode
engine-reason-only-in-incident = runs only in incident mode
