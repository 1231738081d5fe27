-- A script typed into a buffer that is no file yet, and one that cannot be written: every
-- command says what to do in one line (no Lua error, nothing sent to run); a positive control
-- runs the same text once it is a file.
local SCRIPT = {
  "import json, sys",
  "inputs = json.load(sys.stdin)",
  "print(json.dumps({'greeting': 'hi ' + inputs['name']}))",
}

return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  h.record_notifications()
  local workspace = vim.env.SCRIPTCONTRACT_TEST_WORKSPACE
  h.open(workspace .. "/scripts/hello.py") -- the client, for the new buffer to attach to
  vim.cmd("enew")
  vim.bo.filetype = "python"
  local bufnr = vim.api.nvim_get_current_buf()
  vim.api.nvim_buf_set_lines(bufnr, 0, -1, false, SCRIPT)
  h.wait("the client to attach to the new buffer", function()
    return #vim.lsp.get_clients({ bufnr = bufnr, name = "scriptcontract" }) > 0
  end)
  h.answer_prompt(function()
    error("no prompt expected for a buffer that is no file")
  end)
  h.facts.unnamed = {}
  for _, command in ipairs({
    'ScriptContractRun {"name": "Ada"}',
    "ScriptContractRun",
    "ScriptContractCreateInputs",
    "ScriptContractTest",
    "ScriptContractExplore",
  }) do
    local before = #h.facts.notifications
    local ok, err = pcall(vim.cmd, command)
    h.round_trip(bufnr)
    local said = {}
    for index = before + 1, #h.facts.notifications do
      table.insert(said, h.facts.notifications[index].message)
    end
    table.insert(h.facts.unnamed, { command = command, ok = ok, err = not ok and tostring(err) or nil, said = said })
  end
  -- The same text as a file that cannot be written (read-only): Vim's reason, no Lua error.
  local path = workspace .. "/scripts/greet_new.py"
  vim.cmd("file " .. vim.fn.fnameescape(path))
  vim.bo[bufnr].readonly = true
  local before = #h.facts.notifications
  local ok, err = pcall(vim.cmd, 'ScriptContractRun {"name": "Ada"}')
  h.facts.readonly = { ok = ok, err = not ok and tostring(err) or nil, said = h.facts.notifications[before + 1] }
  h.facts.written_while_readonly = vim.fn.filereadable(path) == 1
  -- Positive control: writable, the same command runs it.
  vim.bo[bufnr].readonly = false
  vim.cmd('ScriptContractRun {"name": "Ada"}')
  h.facts.result_lines = h.result_lines("greet_new.py", "hi Ada")
end
