-- A run's ExecutionResult as lines for the result buffer (the outcome first, then inputs,
-- output, error, stderr), and a one-line summary.
local M = {}

local function ms(value)
  if type(value) ~= "number" then
    return ""
  end
  if value >= 1000 then
    return string.format("%.1f s", value / 1000)
  end
  return string.format("%d ms", math.floor(value + 0.5))
end

local function present(value)
  return value ~= nil and value ~= vim.NIL and value ~= ""
end

--- `text` with the paths under `root` shown relative to it.
local function relative(text, root)
  if type(text) ~= "string" or type(root) ~= "string" or root == "" then
    return text
  end
  return (text:gsub(vim.pesc(root:gsub("/+$", "") .. "/"), ""))
end

--- "✓ hello.py 35 ms" or "✗ greet.py KeyError: 'name'": the server's one-line outcome.
---@param script string
---@param result table
---@param root? string  the project's folder: paths under it are shown relative to it (a
---                     message is cut to one line: an absolute path would fill it)
---@return string
function M.summary(script, result, root)
  if type(result.outcome) == "string" and result.outcome ~= "" then
    local outcome = relative(result.outcome, root)
    -- (Lua patterns read bytes: the marks are compared as whole strings.)
    for _, mark in ipairs({ "✓", "✗" }) do
      if outcome:sub(1, #mark) == mark then
        return string.format("%s %s %s", mark, script, vim.trim(outcome:sub(#mark + 1)))
      end
    end
    return string.format("%s %s", script, outcome)
  end
  -- An answer without the server's outcome (an older server): put one together.
  if result.success then
    return string.format("✓ %s %s", script, ms(result.execution_time_ms))
  end
  if result.timed_out then
    return string.format("✗ %s timed out after %s", script, ms(result.execution_time_ms))
  end
  local parts = {}
  if present(result.exit_code) then
    table.insert(parts, "exit " .. tostring(result.exit_code))
  end
  local reason = {}
  for _, part in ipairs({ result.error_type, result.error }) do
    if present(part) then
      table.insert(reason, tostring(part))
    end
  end
  if #reason > 0 then
    table.insert(parts, table.concat(reason, ": "))
  end
  return string.format("✗ %s %s", script, #parts > 0 and table.concat(parts, ": ") or "failed")
end

--- The result buffer of a run the user cancelled.
---@param script string
---@param inputs table|nil
---@return string[]
function M.cancelled_lines(script, inputs)
  return M.ended_lines(script .. ": cancelled (its processes were stopped)", inputs)
end

--- The lines of a run that ended without a result: what happened, then its inputs.
---@param what string
---@param inputs? table
---@return string[]
function M.ended_lines(what, inputs)
  local lines = { what }
  if inputs ~= nil then
    table.insert(lines, "inputs: " .. require("scriptcontract.json").encode_object(inputs))
  end
  return lines
end

local function add_block(lines, title, text, truncated)
  if not present(text) then
    return
  end
  table.insert(lines, "")
  table.insert(lines, string.format("--- %s%s ---", title, truncated and " (truncated)" or ""))
  vim.list_extend(lines, vim.split(vim.trim(text), "\n", { plain = true }))
end

--- A stack dump as the project's frames: without the frames outside the project (the
--- sandbox's own start-up) and the thread's address, which say nothing of the script.
local function project_frames(text)
  if type(text) ~= "string" then
    return text
  end
  local kept = {}
  for _, line in ipairs(vim.split(text, "\n", { plain = true })) do
    if line:match("^Thread 0x%x+ %(most recent call first%):$") then
      table.insert(kept, "another thread:")
    elseif not line:match('^%s*File "/') and not line:match("^Current thread 0x%x+ %(most recent call first%):$") then
      table.insert(kept, line)
    end
  end
  return table.concat(kept, "\n")
end

--- The full report, as the result buffer shows it.
---@param script string
---@param inputs table|nil
---@param result table
---@param root? string  the project's folder: paths under it are shown relative to it
---@return string[]
function M.lines(script, inputs, result, root)
  local lines = { M.summary(script, result, root) }
  if inputs ~= nil then
    table.insert(lines, "inputs: " .. require("scriptcontract.json").encode_object(inputs))
  end
  -- Before the run: the inputs may not be what the script reads (it ran anyway).
  add_block(lines, "warning", result.warning)
  if present(result.output) then
    -- The server's text: decoded here, the output lost its keys' order (a Lua table has
    -- none) and numbers as written (6.0 became 6, a 20-digit id a float).
    local text = type(result.output_text) == "string" and result.output_text or vim.json.encode(result.output)
    add_block(lines, "output", text)
  elseif present(result.stdout) then
    add_block(lines, "stdout", result.stdout, result.stdout_truncated)
  end
  -- "Script exited with code 1" or "timed out" say nothing the first line and stderr do not.
  local generic = result.timed_out or tostring(result.error):match("^Script exited with code %d+$")
  if present(result.error) and not generic then
    table.insert(lines, "")
    local error = "error: " .. (present(result.error_type) and (result.error_type .. ": ") or "") .. result.error
    -- One buffer line per line of the message (a schema's refusal lists each problem).
    vim.list_extend(lines, vim.split(error, "\n", { plain = true }))
  end
  add_block(lines, "stderr", relative(result.stderr, root), result.stderr_truncated)
  add_block(lines, "where it was when the time ran out, innermost call first", project_frames(relative(result.timeout_stack, root)))
  -- The sandbox only when a protection was missing: what was in force is the usual.
  local sandbox = result.sandbox
  if type(sandbox) == "table" and type(sandbox.missing) == "table" and #sandbox.missing > 0 then
    table.insert(lines, "")
    table.insert(lines, "sandbox: not enforced here: " .. table.concat(sandbox.missing, ", "))
  end
  return lines
end

return M
