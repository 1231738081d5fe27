-- The inputs file open with an edit not written yet: "Run with inputs" offers and runs what the
-- buffer shows (it is written first, as the script is), not the file's older text on disk.
return function(h)
  require("scriptcontract").setup({ cmd = h.server_cmd() })
  local workspace = vim.env.SCRIPTCONTRACT_TEST_WORKSPACE
  local script = h.open(workspace .. "/scripts/hello.py")
  local inputs = h.open(workspace .. "/scripts/hello.inputs.json")
  vim.api.nvim_buf_set_lines(inputs, 0, -1, false, { '{"name": "Unsaved edit"}' })
  h.facts.modified_before = vim.bo[inputs].modified
  vim.api.nvim_set_current_buf(script)
  h.answer_prompt(function(default)
    return default
  end)
  vim.cmd("ScriptContractRun")
  h.facts.result_lines = h.result_lines("hello.py", "output")
  h.facts.modified_after = vim.bo[inputs].modified
end
