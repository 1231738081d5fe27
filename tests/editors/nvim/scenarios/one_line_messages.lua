-- Every message the plugin and the server show is one line that fits: a longer one stops
-- Neovim at a "Press ENTER" prompt. A long error, typed inputs that are not JSON, and a run
-- the project's configuration refuses.
local LONG_ERROR = [[
import json
import sys

json.load(sys.stdin)
reason = "the upstream service answered 503 Service Unavailable, " * 8
print(json.dumps({"success": False, "error": reason}))
sys.exit(1)
]]

return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  h.record_notifications()
  local workspace = vim.env.SCRIPTCONTRACT_TEST_WORKSPACE
  vim.fn.writefile(vim.split(LONG_ERROR, "\n"), workspace .. "/scripts/long_error.py")
  h.open(workspace .. "/scripts/long_error.py")
  vim.cmd("ScriptContractRun {}")
  h.wait_notification("long_error%.py exit 1")
  vim.cmd('ScriptContractRun {"a": 1,}')
  h.facts.not_json = h.wait_notification("Not valid JSON").message
  -- In the prompt: the mistake is refused, and the prompt that comes back says what it is.
  local answers = { '{"name": "x",}', "{}" }
  h.answer_prompt(function()
    return table.remove(answers, 1)
  end)
  vim.cmd("ScriptContractRun")
  h.wait("the prompt to come back, then the run", function()
    local outcomes = 0
    for _, item in ipairs(h.facts.notifications) do
      outcomes = outcomes + (item.message:match("long_error%.py exit 1") and 1 or 0)
    end
    return #(h.facts.prompts or {}) == 2 and outcomes == 2
  end)
  -- A configuration with an error refuses runs; the server sees it when a file opens.
  h.edit_file(workspace .. "/scriptcontract.toml", "^timeout%-ms = 30000", 'timeout-ms = "soon"')
  h.open(workspace .. "/scripts/hello.py")
  vim.cmd("ScriptContractRun {}")
  h.facts.refused = h.wait_notification("not run").message
  h.facts.invalid = h.wait_notification("Invalid scriptcontract configuration").message
  h.round_trip(vim.api.nvim_get_current_buf())
  -- The message cut to its line is whole in :LspLog, at Neovim's default log level.
  h.facts.log_level = vim.lsp.log.get_level()
  h.facts.logged = {}
  for _, line in ipairs(vim.fn.readfile(vim.lsp.get_log_path())) do
    if line:find("Invalid scriptcontract configuration", 1, true) then
      table.insert(h.facts.logged, line)
    end
  end
end
